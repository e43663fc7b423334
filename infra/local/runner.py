"""`LocalStack`: Heard on one machine, for `python -m infra.local` and the end-to-end tests.

    with LocalStack(port=0) as stack:
        token = stack.sign_in(stack.users["agent"])
        urllib.request.urlopen(stack.base_url + "/health")

Start-up order: the front door first (so `/health` answers 503 while starting), moto's server, the AWS
environment, every resource of the wiring, the fake platforms, the functions' environment, the clock, the
pollers and the ticker; then `/health` answers 200 while the handlers are imported in the background
(one cold start each, as in Lambda).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from infra.local.auth import CognitoVerifier
from infra.local.frontdoor import FrontDoor, FrontDoorDeps
from infra.local.invoke import FunctionEnvironments, Invoker, Loader, import_handler
from infra.local.persistence import (
    ARCHIVE_DIR,
    ArchiveMirror,
    Restored,
    mirror_bucket,
    restore,
    unmirror_bucket,
)
from infra.local.pollers import Poller, queue_bindings
from infra.local.resources import (
    DEFAULT_PASSWORD,
    PREFIX,
    REGION,
    Clients,
    MotoServer,
    Provisioned,
    aws_environment,
    function_environment,
    provision,
    s3_backend,
)
from infra.local.rules import RulePoller, provision_rules, rule_bindings
from infra.local.streams import StreamPoller, stream_bindings
from infra.local.ticker import Ticker
from infra.wiring import ROOT, Wiring, heard

log = logging.getLogger("heard.local")

CONSOLE_DIR = ROOT / "console"
# Where connectors send when the fake platforms are not running: a closed local port, so a local stack
# never talks to a real platform unless you point it at one yourself (META_GRAPH_URL, ...).
NOWHERE = "http://127.0.0.1:9"


def role_checker(wiring: Wiring, resolve: Mapping[str, str]) -> Any:
    """A `CallChecker` with every function's role from the template synthesised for this wiring (cached
    per process; synth takes a few seconds and needs the `cdk` packages)."""
    from infra.deployed import LOCAL_ACCOUNT, LOCAL_DATA_KEY, synthesise
    from infra.iam_check import Account, CallChecker

    deployed = synthesise(wiring)
    account = Account(region=REGION, account=LOCAL_ACCOUNT, data_key_arn=LOCAL_DATA_KEY)
    return CallChecker(
        deployed.policies(resolve, account), account, key_allows=deployed.key_allows(resolve, account)
    )


class HeardClock:
    """Heard time: starts at the wall clock and runs `speed` times faster (60 = a minute per second)."""

    def __init__(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self.speed = speed
        self._start_wall = datetime.now(UTC)
        self._start_mono = time.monotonic()

    def __call__(self) -> datetime:
        return self._start_wall + timedelta(seconds=(time.monotonic() - self._start_mono) * self.speed)


class LocalStack:
    def __init__(
        self,
        port: int = 0,
        demo: bool = False,
        clock_speed: float = 1.0,
        fake_platforms: bool = True,
        *,
        host: str = "127.0.0.1",
        console: bool = True,
        password: str | None = None,
        wiring: Wiring | None = None,
        loader: Loader = import_handler,
        demo_interval_seconds: float = 3.0,
        strict: bool = False,
        state_dir: Path | None = None,
    ) -> None:
        self.wiring = wiring or heard()
        self.demo = demo
        self.clock = HeardClock(clock_speed)
        self.password = password or os.environ.get("HEARD_DEMO_PASSWORD") or DEFAULT_PASSWORD
        self._host = host
        self._port = port
        self._want_fakes = fake_platforms
        self._console_dir = CONSOLE_DIR if console else None
        self._demo_interval = demo_interval_seconds
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._moto = MotoServer(host)
        self._clients: Clients | None = None
        self._provisioned: Provisioned | None = None
        self._verifier: CognitoVerifier | None = None
        self._saved_env: dict[str, str | None] = {}
        self.invoker = Invoker(self.wiring, loader)
        self.fakes: Any = None
        self.company: Any = None  # the fake company order system (issue #17)
        self.chat: Any = None  # the fake Slack/Teams incoming webhook (issue #17)
        self.pollers: list[Poller] = []
        self.streams: list[StreamPoller] = []
        self.ticker: Ticker | None = None
        self.frontdoor: FrontDoor | None = None
        self._demo_feed: Any = None
        self._stopped = False
        # strict: every AWS call a handler makes is checked against its deployed role (synthesised template).
        self.strict = strict
        self.checker: Any = None
        # Where the raw archive is kept across restarts (None: nothing survives; tests use that).
        self.state_dir = state_dir
        self.restored: Restored | None = None
        self._restoring: threading.Thread | None = None

    # ---- what tests and main read -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        assert self.frontdoor, "start() first"
        return f"http://{self.frontdoor.host}:{self.frontdoor.port}"

    @property
    def moto_url(self) -> str:
        return self._moto.url

    @property
    def resources(self) -> dict[str, str]:
        return dict(self._require().resolve)

    @property
    def users(self) -> dict[str, str]:
        return dict(self._require().users)

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def config(self) -> dict[str, Any]:
        """What the console needs to sign in (served as /config.json)."""
        provisioned = self._provisioned
        return {
            "apiUrl": self.base_url,
            "region": REGION,
            "userPoolId": provisioned.user_pool_id if provisioned else None,
            "clientId": provisioned.client_id if provisioned else None,
            "cognitoEndpoint": self.base_url + "/cognito",
        }

    def sign_in(self, email: str, password: str | None = None) -> str:
        """An id token for the user, via Cognito's USER_PASSWORD_AUTH (what the console does)."""
        provisioned = self._require()
        assert self._clients
        result = self._clients("cognito-idp").initiate_auth(
            ClientId=provisioned.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password or self.password},
        )
        return str(result["AuthenticationResult"]["IdToken"])

    def client(self, service: str) -> Any:
        """A boto3 client bound to the embedded moto server (for inspection in tests)."""
        assert self._clients, "start() first"
        return self._clients(service)

    # ---- deterministic helpers for tests --------------------------------------------------------------

    def tick(self) -> None:
        """One ticker step now: fire what is due in Heard time (the background ticker does this twice a second)."""
        assert self.ticker, "start() first"
        self.ticker.tick()

    def run_schedules_now(self, one_time_horizon: timedelta = timedelta(0)) -> None:
        """Fire every recurring schedule once now, and the one-time schedules due within the horizon."""
        assert self.ticker, "start() first"
        self.ticker.run_now(one_time_horizon)

    def drain_queues(self, timeout: float = 10.0) -> bool:
        """Wait until the polled queues are empty and no function is running; False on timeout."""
        assert self._clients
        sqs = self._clients("sqs")
        deadline = time.monotonic() + timeout
        quiet_checks = 0
        while time.monotonic() < deadline:
            idle = self.invoker.in_flight == 0 and not any(p.busy for p in self.pollers)
            idle = idle and all(s.caught_up for s in self.streams)
            if idle and all(self._queue_empty(sqs, p.queue_url) for p in self.pollers):
                quiet_checks += 1
                if quiet_checks >= 2:  # twice in a row: a message just received is not missed
                    return True
            else:
                quiet_checks = 0
            time.sleep(0.1)
        return False

    @staticmethod
    def _queue_empty(sqs: Any, url: str) -> bool:
        attributes = sqs.get_queue_attributes(
            QueueUrl=url,
            # Delayed messages (e.g. automatic replies, sent with a delay) are not yet counted by the other two.
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        return all(int(v) == 0 for v in attributes.values())

    # ---- lifecycle ------------------------------------------------------------------------------------

    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> LocalStack:
        started = time.monotonic()
        self.frontdoor = FrontDoor(
            FrontDoorDeps(
                wiring=self.wiring,
                invoker=self.invoker,
                ready=self._ready,
                verifier=lambda: self._verifier,
                config=self.config,
                moto_url=lambda: self._moto.url,
                fake_sent=self._fake_sent,
                console_dir=self._console_dir,
                public_page=self._public_page,
                sent_mail=self._sent_mail,
                fake_chat=self._fake_chat,
            ),
            host=self._host,
            port=self._port,
        )
        self.frontdoor.start()
        try:
            self._start_backend()
        except BaseException:
            self.stop()
            raise
        self._ready.set()
        log.info(
            "local stack ready", extra={"url": self.base_url, "seconds": round(time.monotonic() - started, 2)}
        )
        if self.demo:
            from infra.local.demo import DemoFeed

            self._demo_feed = DemoFeed(
                self.base_url, self._require().secrets, interval_seconds=self._demo_interval
            )
            self._demo_feed.start()
        return self

    def _start_backend(self) -> None:
        moto_url = self._moto.start()
        # Before any handler import: every boto3 client in this process must talk to moto.
        self._set_env(aws_environment(moto_url))
        # Search locally: the embedded engine (SQLite FTS5), not moto's DynamoDB (docs/decisions.md).
        self._set_env({"HEARD_SEARCH_ENGINE": "embedded"})
        self._clients = Clients(moto_url)
        self._provisioned = provision(self.wiring, self._clients, password=self.password)
        # EventBridge rules on the buses: moto matches, the rule pollers invoke (infra/local/rules.py).
        provision_rules(
            self.wiring, self._clients("sqs"), self._clients("events"), self._provisioned.resolve, PREFIX
        )
        self._verifier = CognitoVerifier(
            moto_url, self._provisioned.user_pool_id, self._provisioned.client_id
        )
        fake_urls = self._start_fakes()
        for bucket in self.wiring.buckets:  # public pages are served by the front door (CloudFront in AWS)
            if bucket.public_url_env:
                self._provisioned.resolve[f"{bucket.id}:url"] = f"{self.base_url}/{bucket.id}/"
        for site in self.wiring.sites:  # the console is served by the front door too
            self._provisioned.resolve[site.id] = f"{self.base_url}/"
        env = function_environment(self.wiring, self._provisioned, fake_urls)
        self._set_env(env)
        # Report downloads: presigned links through the front door's /files proxy (S3 itself in AWS).
        self._set_env({"HEARD_FILES_URL": f"{self.base_url}/files"})
        self._provisioned.environment = env
        # Each invocation sees only its own function's variables (as in AWS), not this union.
        self.invoker.environments = FunctionEnvironments(self.wiring, self._provisioned.resolve)
        if self.strict:
            self.checker = role_checker(self.wiring, self._provisioned.resolve).install()
        from shared import clock
        from shared.settings import get_settings

        get_settings.cache_clear()
        clock.set_source(self.clock)
        # Cold starts happen in the background, as in Lambda: /health does not wait for the handlers' imports.
        threading.Thread(target=self.invoker.warm_up, name="heard-warm-up", daemon=True).start()
        self._start_workers()
        if self.state_dir is not None:
            self._restoring = threading.Thread(target=self._restore, name="heard-restore", daemon=True)
            self._restoring.start()

    def _start_workers(self) -> None:
        """The archive's mirror, a poller per queue and per table stream, and the ticker (schedules, expiry)."""
        assert self._provisioned is not None and self._clients is not None
        resolve = self._provisioned.resolve
        clients = self._clients
        if self.state_dir is not None:
            mirror_bucket(resolve["archive"], ArchiveMirror(self.state_dir / ARCHIVE_DIR))
        for binding in queue_bindings(self.wiring):
            poller = Poller(
                binding,
                resolve[binding.queue_id],
                resolve[f"{binding.queue_id}:arn"],
                lambda: clients("sqs"),
                self.invoker,
                self._stop,
            )
            poller.start()
            self.pollers.append(poller)
        for rule in rule_bindings(self.wiring):
            rule_poller = RulePoller(
                rule, resolve[rule.queue_id], lambda: clients("sqs"), self.invoker, self._stop
            )
            rule_poller.start()
            self.pollers.append(rule_poller)  # type: ignore[arg-type]  # the same face for drain_queues
        for stream in stream_bindings(self.wiring):
            stream_poller = StreamPoller(
                stream,
                resolve[f"{stream.table_id}:stream"],
                lambda: clients("dynamodbstreams"),
                self.invoker,
                self._stop,
            )
            stream_poller.start()
            self.streams.append(stream_poller)
        from infra.local.expiry import expire

        self.ticker = Ticker(
            self.wiring,
            self.invoker,
            lambda: clients("scheduler"),
            resolve,
            self._stop,
            expire=lambda now: expire(self.wiring, resolve, clients, now),
        )
        self.ticker.start()

    def _restore(self) -> None:
        assert self.state_dir is not None and self._provisioned is not None
        resolve = self._provisioned.resolve
        try:
            self.restored = restore(
                ArchiveMirror(self.state_dir / ARCHIVE_DIR), resolve["archive"], resolve["ingest"], s3_backend
            )
        except Exception:  # noqa: BLE001 (a failed restore is logged; the stack keeps running)
            log.exception("restoring the saved archive failed")
            return
        if self.restored.objects:
            log.info(
                "archive restored and replayed",
                extra={
                    "deliveries": self.restored.deliveries,
                    "skipped": self.restored.skipped,
                    "seconds": round(self.restored.seconds, 2),
                },
            )

    def wait_restored(self, timeout: float = 60.0) -> bool:
        """Wait until the saved archive has been put back on the ingest queue (True at once if none)."""
        if self._restoring is not None:
            self._restoring.join(timeout)
            return not self._restoring.is_alive()
        return True

    def _start_fakes(self) -> dict[str, str]:
        if self._want_fakes:
            try:
                from infra.local.fake_platforms import start_fake_platforms
            except ImportError as error:
                log.warning("fake platforms unavailable", extra={"error": str(error)})
            else:
                self.fakes = start_fake_platforms(host="127.0.0.1", port=0)
                self._start_fake_company()
                self._start_fake_chat()
                return dict(self.fakes.base_urls)
        from shared.platforms import api_url_settings

        return {p: os.environ.get(variable) or NOWHERE for p, variable in api_url_settings().items()}

    def _start_fake_company(self) -> None:
        """The company's order system, answering signed lookups with demo data (docs/integrations.md)."""
        from infra.local.fake_company import start_fake_company

        self.company = start_fake_company(host="127.0.0.1", port=0)
        self._set_env({"HEARD_COMPANY_API_URL": self.company.url})

    def _start_fake_chat(self) -> None:
        """A Slack/Teams incoming webhook that keeps what it is sent (`/fake/chat`; docs/events.md)."""
        from infra.local.fake_chat import start_fake_chat

        self.chat = start_fake_chat(host="127.0.0.1", port=0)
        log.info("fake chat webhook", extra={"url": f"{self.chat.url}/hooks/demo"})

    def _fake_chat(self) -> dict[str, Any]:
        if self.chat is None:
            return {"url": None, "items": []}
        return {"url": f"{self.chat.url}/hooks/demo", "items": self.chat.received}

    def _public_page(self, path: str) -> bytes | None:
        """`/status/<id>.html` from the status bucket (the key is the path), or None."""
        if self._clients is None or self._provisioned is None or "status" not in self._provisioned.resolve:
            return None
        from botocore.exceptions import ClientError

        try:
            answer = self._clients("s3").get_object(
                Bucket=self._provisioned.resolve["status"], Key=path.lstrip("/")
            )
        except ClientError:
            return None
        return bytes(answer["Body"].read())

    def _sent_mail(self) -> dict[str, Any]:
        if self._clients is None:  # moto is not up yet: nothing was sent
            return {"emails": [], "sms": []}
        from infra.local import sent_mail

        return sent_mail.sent()

    def _fake_sent(self) -> Any:
        return list(self.fakes.sent) if self.fakes is not None else []

    def stop_accepting(self) -> None:
        """Answer 503 to webhooks and API calls from now on (the first thing a shutdown does)."""
        self._ready.clear()

    def stop(self) -> None:
        """Stop everything this stack started and put the process environment back as it was."""
        if self._stopped:
            return
        self._stopped = True
        self._ready.clear()  # function routes answer 503 from now on
        if self._demo_feed is not None:
            self._demo_feed.stop()
            self._demo_feed = None
        if self.frontdoor is not None:
            # No new connections; the requests being handled are answered before anything else stops.
            self.frontdoor.stop()
        self._stop.set()
        for poller in self.pollers:
            poller.join(timeout=5)
        for stream_poller in self.streams:
            stream_poller.join(timeout=5)
        if self.ticker is not None:
            self.ticker.join(timeout=5)
        if self.state_dir is not None and self._provisioned is not None:
            unmirror_bucket(self._provisioned.resolve["archive"])
        if self.fakes is not None:
            self.fakes.stop()
        if self.company is not None:
            self.company.stop()
        if self.chat is not None:
            self.chat.stop()
        self._moto.stop()
        if self.checker is not None:
            self.checker.uninstall()
        self._restore_env()
        from shared import clock
        from shared.settings import get_settings

        clock.reset()
        get_settings.cache_clear()

    # ---- environment ----------------------------------------------------------------------------------

    def _set_env(self, values: Mapping[str, str]) -> None:
        for key, value in values.items():
            if key not in self._saved_env:
                self._saved_env[key] = os.environ.get(key)
            os.environ[key] = value

    def _restore_env(self) -> None:
        for key, previous in self._saved_env.items():
            if previous is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = previous
        self._saved_env.clear()

    def _require(self) -> Provisioned:
        if self._provisioned is None:
            raise RuntimeError("the local stack is not started")
        return self._provisioned
