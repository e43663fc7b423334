"""Suite-wide set-up. moto is imported first so every boto3 client created later is mockable."""

import os

import moto  # noqa: F401  (must precede any boto3 client creation)

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "heard-tests")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_DEV", "false")
os.environ.pop("AWS_ENDPOINT_URL", None)
