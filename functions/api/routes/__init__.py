"""One Powertools Router per API resource."""
