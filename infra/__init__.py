"""Infrastructure: the wiring description, the CDK app, and the local runner that plays AWS's part."""
