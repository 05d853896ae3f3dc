"""The person's own notices (/thong-bao/): read them, mark them read, choose the channel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from units.access import role_required, roles_of
from units.models import Membership

from .forms import PreferenceForm
from .models import Notice
from .services import (
    OUTBOX_STATES,
    channel_of,
    email_state,
    notice_open,
    notices_read_all,
    outbox_notices,
    preference_save,
    unread_count,
)

PER_PAGE = 20


def notice_for_user(request, pk: int) -> Notice:
    """Only the person's own notices exist for them: any other id is 404."""
    return get_object_or_404(Notice, pk=pk, person=request.user, in_app=True)


@login_required
def notices(request):
    form = PreferenceForm(request.POST or None, initial={"channel": channel_of(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            preference = preference_save(person=request.user, channel=form.cleaned_data["channel"])
        except ValidationError as error:
            form.add_error("channel", error)
        else:
            messages.success(
                request, f"Đã lưu: nhận thông báo {preference.get_channel_display().lower()}."
            )
            return redirect("notifications:notices")
    page = Paginator(Notice.objects.filter(person=request.user, in_app=True), PER_PAGE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "notifications/notices.html",
        {
            "page": page,
            "form": form,
            "unread": unread_count(request.user),
            "email": request.user.email,
            "may_see_outbox": request.user.is_superuser
            or Membership.Role.HOME_AFFAIRS in roles_of(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def notice_open_view(request, pk: int):
    """Opening a notice marks it read and follows its link (our own pages only)."""
    notice = notice_open(notice=notice_for_user(request, pk), by=request.user)
    if notice.link and url_has_allowed_host_and_scheme(
        notice.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notice.link)
    return redirect("notifications:notices")


@login_required
@require_POST
def notices_read_all_view(request):
    count = notices_read_all(by=request.user)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect("notifications:notices")


@role_required(Membership.Role.HOME_AFFAIRS)
def outbox(request):
    """Sở Nội vụ's outbox: every email sent or owed (reminders, activations, resets), to
    whom, and the failures. The one-time links are not shown: they are never stored."""
    state = request.GET.get("trang-thai", "")
    try:
        notices = outbox_notices(state=state)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("notifications:outbox")
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("trang"))
    rows = [(notice, email_state(notice)) for notice in page.object_list]
    return render(
        request,
        "notifications/outbox.html",
        {"page": page, "rows": rows, "states": OUTBOX_STATES, "state": state},
    )
