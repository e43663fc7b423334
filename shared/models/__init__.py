"""Domain entities and event payloads. API request/response and DynamoDB item shapes live with their layer."""
