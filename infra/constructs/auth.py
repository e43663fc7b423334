"""Cognito: the user pool agents sign in to, one group per role, and the console's app client."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Validations
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from shared.models.roles import ROLES

# Roles are Cognito groups (docs/architecture.md); the API reads them from the token's cognito:groups.
GROUPS = ROLES


class Auth(Construct):
    def __init__(self, scope: Construct, cid: str) -> None:
        super().__init__(scope, cid)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=False,  # staff are invited by an admin
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            removal_policy=RemovalPolicy.RETAIN,
        )
        Validations.of(self.user_pool).acknowledge(
            Acknowledgment(
                id="AwsSolutions-COG2",
                reason="MFA is optional (TOTP offered) so a care team can onboard without authenticator apps; "
                "organisations that need it set the pool's MFA to required.",
            ),
            Acknowledgment(
                id="AwsSolutions-COG8",
                reason="The Essentials feature plan is enough for password sign-in; Plus (threat protection) is "
                "priced per active user and left to the operator, see docs/deploy.md.",
            ),
            Acknowledgment(
                id="AwsSolutions-COG3",
                reason="Threat protection (Cognito Plus feature plan) is priced per active user; left to the "
                "operator's choice, see docs/deploy.md.",
            ),
        )
        self.groups = {
            name: cognito.CfnUserPoolGroup(
                self,
                f"{name.capitalize()}Group",
                user_pool_id=self.user_pool.user_pool_id,
                group_name=name,
                description=f"Heard role: {name}",
            )
            for name in GROUPS
        }
        self.client = self.user_pool.add_client(
            "ConsoleClient",
            generate_secret=False,  # a browser app cannot keep a secret
            auth_flows=cognito.AuthFlow(user_password=True, user_srp=True),
            prevent_user_existence_errors=True,
            id_token_validity=Duration.hours(1),
            access_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(1),
        )
