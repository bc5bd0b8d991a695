"""People and organisations: the municipality, its department tree, its users and officers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.querysets import OrganisationQuerySet
from core.uploads import random_upload_path

if TYPE_CHECKING:
    from collections.abc import Iterable


def validate_webhook_url(value: str) -> None:
    """A Teams webhook carries its own credentials in the URL: it travels only over TLS."""
    if value and not value.lower().startswith("https://"):
        raise ValidationError(
            _("A webhook address must start with https:// (a Teams webhook always does)."), code="not_https"
        )


# What an officer sets on the organisation's settings page, listed once: the form shows these fields and the
# service applies and audits them.
ORGANISATION_SETTINGS = (
    "legal_name",
    "street",
    "postcode",
    "town",
    "kvk_number",
    "sector",
    "dpo_name",
    "dpo_email",
    "dpo_phone",
    "dpo_ap_number",
    "privacy_contact_name",
    "privacy_contact_email",
    "privacy_contact_phone",
    "letter_signatory_name",
    "letter_signatory_function",
    "mail_sender_name",
    "mail_reply_to",
    "teams_webhook_url",
    "dataleak_retention_days",
    "logo",
    "accessibility_statement_url",
)
# Settings whose value is a secret: recorded masked in the audit trail, never shown back in full.
SECRET_SETTINGS = frozenset({"teams_webhook_url"})


class Organisation(models.Model):
    """A municipality (gemeente). Nothing ever crosses organisations."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Master data for the AP notification and the letters, entered once per organisation.
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{4} ?[A-Za-z]{2}$", _("Enter a Dutch postcode, for example 1234 AB."))],
    )
    town = models.CharField(_("town"), max_length=100, blank=True)
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A KvK number has exactly 8 digits."))],
    )
    sector = models.CharField(_("sector"), max_length=100, blank=True, default="Openbaar bestuur")
    dpo_name = models.CharField(_("data protection officer (FG): name"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data protection officer (FG): e-mail"), blank=True)
    dpo_phone = models.CharField(_("data protection officer (FG): phone"), max_length=30, blank=True)
    dpo_ap_number = models.CharField(_("FG registration number at the AP"), max_length=30, blank=True)
    privacy_contact_name = models.CharField(_("Privacy Officer contact: name"), max_length=200, blank=True)
    privacy_contact_email = models.EmailField(_("Privacy Officer contact: e-mail"), blank=True)
    privacy_contact_phone = models.CharField(_("Privacy Officer contact: phone"), max_length=30, blank=True)

    # Who signs the letters to citizens (art. 34 GDPR), under the organisation's return address.
    letter_signatory_name = models.CharField(_("letters: name of the signatory"), max_length=200, blank=True)
    letter_signatory_function = models.CharField(_("letters: function of the signatory"), max_length=200, blank=True)

    # Mail: the envelope sender stays the installation's DEFAULT_FROM_EMAIL.
    mail_sender_name = models.CharField(_("sender name"), max_length=100, blank=True)
    mail_reply_to = models.EmailField(_("reply-to address"), blank=True)

    # A secret: shown back masked, never logged or exported.
    teams_webhook_url = models.URLField(
        _("MS Teams webhook"), max_length=1000, blank=True, validators=[validate_webhook_url]
    )
    dataleak_retention_days = models.PositiveIntegerField(
        _("retention of data-leak details (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: the installation's default."),
    )
    # Stored under a random name, like every upload; served only by the organisation's own logo view.
    logo = models.ImageField(_("logo"), upload_to=random_upload_path("organisations/logos"), blank=True)
    accessibility_statement_url = models.URLField(_("link to the registered accessibility statement"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def display_legal_name(self) -> str:
        return self.legal_name or self.name

    @property
    def retention_days(self) -> int:
        from django.conf import settings

        return self.dataleak_retention_days or settings.DATALEAK_RETENTION_DAYS


class DepartmentQuerySet(OrganisationQuerySet["Department"]):
    def active(self) -> DepartmentQuerySet:
        return self.filter(is_active=True)

    def subtree_of(self, departments: Iterable[Department]) -> DepartmentQuerySet:
        """The given departments and everything below them."""
        condition = Q()
        for department in departments:
            condition |= Q(path__startswith=department.path)
        return self.filter(condition) if condition else self.none()


class Department(models.Model):
    """A node in the organisation's tree: directie > afdeling > team.

    ``path`` is a materialised path ("000012/000034/") so that a whole subtree
    is one indexed ``LIKE 'prefix%'`` query, whatever its depth.
    """

    class Level(models.TextChoices):
        DIRECTORATE = "directorate", _("Directorate")
        UNIT = "unit", _("Department")
        TEAM = "team", _("Team")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent department"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50, help_text=_("The department's code in the HR system."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.UNIT)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("active"), default=True)
    # A secret like the organisation's; empty: the organisation's webhook is used.
    teams_webhook_url = models.URLField(
        _("MS Teams webhook"), max_length=1000, blank=True, validators=[validate_webhook_url]
    )
    managers = models.ManyToManyField(
        "accounts.User", blank=True, related_name="managed_departments", verbose_name=_("managers")
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="department_code_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self._refresh_path()

    def _refresh_path(self) -> None:
        parent_path = self.parent.path if self.parent_id else ""
        new_path = f"{parent_path}{self.pk:06d}/"
        if new_path == self.path:
            return
        old_path = self.path
        Department.objects.filter(pk=self.pk).update(path=new_path)
        self.path = new_path
        if old_path:
            # The department moved: its subtree moves with it.
            for child in Department.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                Department.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])

    @property
    def depth(self) -> int:
        """1 for a top-level department, 2 for one below it, and so on."""
        return self.path.count("/")

    def ancestors_and_self(self) -> DepartmentQuerySet:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        return Department.objects.filter(pk__in=ids)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, user: User) -> UserQuerySet:
        return self.get_queryset().visible_to(user)

    def active(self) -> UserQuerySet:
        return self.get_queryset().active()

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class UserQuerySet(OrganisationQuerySet["User"]):
    def active(self) -> UserQuerySet:
        return self.filter(is_active=True)


class User(AbstractBaseUser, PermissionsMixin):
    """An employee. Signs in with their e-mail address; roles are derived, see accounts.permissions."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    employee_number = models.CharField(_("employee number"), max_length=50, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.DUTCH)
    receives_topic_mailings = models.BooleanField(
        _("receive the quarterly topic mailing"),
        default=True,
        help_text=_("The programme's topics of the quarter, by e-mail."),
    )
    receives_reminders = models.BooleanField(
        _("receive reminders"),
        default=True,
        help_text=_(
            "Friendly reminders, for example about training sessions and surveys. Mails about deadlines and security always arrive."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Part of every session's auth hash: raising it ends all sessions of the user (done at logout).
    session_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_session_auth_hash(self) -> str:
        """Django ends a session whose stored hash no longer matches; the version ends them all at once."""
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_version}",
            algorithm="sha256",
        ).hexdigest()

    def end_all_sessions(self) -> None:
        User.objects.filter(pk=self.pk).update(session_version=models.F("session_version") + 1)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class OfficerQuerySet(OrganisationQuerySet["Officer"]):
    organisation_lookup = "user__organisation_id"


class Officer(models.Model):
    """A CISO, ISO or Privacy Officer. One user may hold several kinds."""

    class Kind(models.TextChoices):
        CISO = "ciso", _("CISO")
        ISO = "iso", _("Information Security Officer")
        PRIVACY_OFFICER = "privacy_officer", _("Privacy Officer")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="officer_roles", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_deputy = models.BooleanField(_("deputy"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "user__full_name"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="officer_unique_kind_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class EmailDomain(models.Model):
    """An e-mail domain that belongs to one organisation: sign-in by its identity provider is matched within it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="email_domains", verbose_name=_("organisation")
    )
    # Unique across organisations: one domain can never sign people into two municipalities.
    domain = models.CharField(_("e-mail domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")

    def __str__(self) -> str:
        return self.domain


class IdentityProvider(models.Model):
    """The organisation's own identity provider (Entra ID or any OpenID Connect provider) and its sign-in policy."""

    class Kind(models.TextChoices):
        MICROSOFT = "microsoft", _("Microsoft Entra ID")
        OPENID_CONNECT = "openid_connect", _("OpenID Connect")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="identity_provider", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MICROSOFT)
    is_enabled = models.BooleanField(_("sign-in with the municipal account is on"), default=True)
    tenant_id = models.CharField(_("directory (tenant) ID"), max_length=36, blank=True)
    issuer = models.URLField(_("issuer"), max_length=500, blank=True)
    client_id = models.CharField(_("client ID"), max_length=191)
    # Encrypted (accounts.sso.encrypt_secret); shown back masked, never logged or exported.
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    client_secret_hint = models.CharField(max_length=3, blank=True, editable=False)
    password_login_disabled = models.BooleanField(_("password sign-in off for employees"), default=False)
    allows_just_in_time_accounts = models.BooleanField(_("create accounts for unknown employees"), default=False)
    idp_mfa_counts = models.BooleanField(_("the identity provider's MFA counts as second factor"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"

    @property
    def provider_id(self) -> str:
        """allauth's sub-provider id: the state of one organisation's sign-in never matches another's."""
        return f"org-{self.organisation_id}"
