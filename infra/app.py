"""The CDK app: `npx cdk synth` runs `python -m infra.app`.

Synth is workstation-independent: an explicit environment (context `account`/`region`, else
CDK_DEFAULT_*, else a fixed placeholder), no STS, git or context lookups. cdk-nag's AwsSolutions pack
always runs; synth fails while an unacknowledged finding remains.

Context switches:
  -c heard:bundle=sources   skip installing third-party packages into the Lambda bundle (fast tests)
  -c account=123456789012 -c region=eu-west-1
  -c generativeHelp=<Bedrock model id>   grant the api Amazon Bedrock (that model) and Amazon Translate
                                         for drafts, summaries and translation (off by default, issue #11)
"""

from __future__ import annotations

import os

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from infra import bundling
from infra.stack import HeardStack
from infra.wiring import Wiring, generative_model, heard

FALLBACK_ACCOUNT = "000000000000"
FALLBACK_REGION = "eu-west-1"
STACK_ID = "Heard"


def environment(app: App) -> Environment:
    account = app.node.try_get_context("account") or os.environ.get("CDK_DEFAULT_ACCOUNT") or FALLBACK_ACCOUNT
    region = app.node.try_get_context("region") or os.environ.get("CDK_DEFAULT_REGION") or FALLBACK_REGION
    return Environment(account=str(account), region=str(region))


def build(
    app: App | None = None, *, wiring: Wiring | None = None, nag: bool = True
) -> tuple[App, HeardStack]:
    """The app with the Heard stack and cdk-nag attached (tests call this too; the role checker of
    `infra.deployed` builds it without cdk-nag, for another wiring when a test asks)."""
    app = app or App()
    bundle = app.node.try_get_context("heard:bundle") or bundling.BundleMode.FULL
    wiring = wiring or heard(generative_model(app.node.try_get_context("generativeHelp")))
    stack = HeardStack(app, STACK_ID, env=environment(app), bundle=bundle, wiring=wiring)
    if nag:
        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, stack


def main() -> None:
    app, _ = build()
    app.synth()


if __name__ == "__main__":
    main()
