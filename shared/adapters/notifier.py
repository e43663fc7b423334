"""Email through Amazon SES (v2) and SMS through Amazon SNS, to one person at a time.

Locally and in tests these are moto's: nothing is delivered, and moto keeps what was sent (the local
stack's and the tests' "sent" record). In AWS the sender must be a verified SES identity (the stack's
`notifyFromEmail` context); SMS needs the account's SNS SMS sandbox lifted or the numbers verified.
"""

from __future__ import annotations

from typing import Any

from shared.adapters.aws import unavailable_on_aws_error

SMS_CHARS = 1400  # SNS refuses longer SMS messages (it splits up to 1,600 bytes)


class SesSnsNotifier:
    def __init__(self, sender: str, ses: Any = None, sns: Any = None):
        self._sender = sender
        self._ses = ses
        self._sns = sns

    @property
    def ses(self) -> Any:
        if self._ses is None:
            import boto3

            self._ses = boto3.client("sesv2")
        return self._ses

    @property
    def sns(self) -> Any:
        if self._sns is None:
            import boto3

            self._sns = boto3.client("sns")
        return self._sns

    def email(
        self, to: str, subject: str, text: str, attachment: tuple[str, bytes, str] | None = None
    ) -> None:
        content: dict[str, Any] = {
            "Simple": {"Subject": {"Data": subject[:200]}, "Body": {"Text": {"Data": text}}}
        }
        if attachment is not None:  # SES takes attachments as a raw MIME message
            content = {"Raw": {"Data": _mime(self._sender, to, subject[:200], text, attachment)}}
        with unavailable_on_aws_error("sending an email"):
            self.ses.send_email(
                FromEmailAddress=self._sender, Destination={"ToAddresses": [to]}, Content=content
            )

    def sms(self, to: str, text: str) -> None:
        with unavailable_on_aws_error("sending an SMS"):
            self.sns.publish(
                PhoneNumber=to,
                Message=text[:SMS_CHARS],
                MessageAttributes={
                    "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}
                },
            )


def _mime(sender: str, to: str, subject: str, text: str, attachment: tuple[str, bytes, str]) -> bytes:
    from email.message import EmailMessage

    name, body, content_type = attachment
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(text)
    maintype, _, subtype = content_type.split(";")[0].partition("/")
    message.add_attachment(body, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()
