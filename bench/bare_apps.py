"""allauth's account app without its demand for its middleware, which the bare settings leave out on purpose."""

from allauth.account.apps import AccountConfig


class BareAccountConfig(AccountConfig):
    def ready(self) -> None:
        from allauth.account import checks  # noqa: F401
