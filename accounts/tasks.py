from celery import shared_task

from accounts.models import User
from accounts.permissions import requires_mfa
from accounts.services import invitation_url
from core import outbox
from core.mail import send_mail


@shared_task(name="accounts.tasks.send_invitation", bind=True, max_retries=10, default_retry_delay=60, acks_late=True)
def send_invitation(self, *, user_id: int, invited_by_id: int | None = None, outbox_id: int | None = None) -> None:
    user = User.objects.filter(pk=user_id).select_related("organisation").first()
    inviter = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    if user is None:
        outbox.mark_done(outbox_id)
        return
    try:
        send_mail(
            "invitation",
            user.email,
            {
                "user": user,
                "inviter": inviter,
                "url": invitation_url(user),
                "needs_second_factor": requires_mfa(user),
            },
            language=user.language,
            key=f"invitation:{user.pk}",
        )
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    outbox.mark_done(outbox_id)
