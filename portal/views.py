from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal import services
from portal.celery import app as celery_app
from portal.models import Language
from portal.profile import set_language_cookie
from portal.request_input import ids_from, next_url
from portal.selectors import (
    notification_thread_ids,
    notification_threads_filled,
    notification_threads_for,
    notifications_for,
)


def axes_username(request, credentials=None) -> str | None:
    """The username django-axes records: as typed, cut to what its table holds."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return username[:255] if isinstance(username, str) else username


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Keep the cookie in step so pages after logout stay in the person's language.
        set_language_cookie(response, form.get_user().language)
        return response


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers while logging in is paused (a cool-off, never a lock).

    API clients get JSON, people get the page; both say how long to wait.
    """
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, -(-seconds // 60))
    if request.path.startswith("/api/"):
        message = ngettext(
            "Too many failed log-in attempts. Try again in %(minutes)s minute.",
            "Too many failed log-in attempts. Try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429
        )
    response["Retry-After"] = str(seconds)
    return response


@login_required
def home(request):
    return render(request, "portal/home.html", _home_context(request))


def _home_context(request):
    # Other apps contribute their panels through portal.homepage.
    from portal.homepage import panels_for

    return {"panels": panels_for(request)}


@require_POST
def set_language(request):
    """Switch language; a signed-in person's choice is saved on their profile."""
    code = request.POST.get("language", "")
    response = HttpResponseRedirect(next_url(request))
    if code not in Language.values:
        return response
    if request.user.is_authenticated and request.user.language != code:
        services.user_update(user=request.user, language=code)
    translation.activate(code)
    set_language_cookie(response, code)
    return response


@login_required
def notification_list(request):
    """One entry per thread (all the news of one insight), its latest news first and
    the earlier news folded under it."""
    page = Paginator(notification_threads_for(request.user), 30).get_page(request.GET.get("page"))
    threads = notification_threads_filled(request.user, page.object_list)
    return render(request, "portal/notifications.html", {"page": page, "threads": threads})


@login_required
@require_POST
def notification_mark_read(request):
    ids = request.POST.getlist("id")
    thread = request.POST.get("thread")
    if thread:
        ids = notification_thread_ids(request.user, thread[:400])
    elif ids:
        ids = ids_from(ids)
    else:
        ids = None
    services.notifications_mark_read(user=request.user, ids=ids)
    return redirect("notifications")


@login_required
def notification_open(request, pk: int):
    """Follow a notification's link; the news of its whole thread is then read."""
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    if notification.url:
        unread = notifications_for(request.user).unread().filter(url=notification.url)
        ids = list(unread.values_list("pk", flat=True))
    else:
        ids = [notification.pk] if notification.read_at is None else []
    if ids:
        services.notifications_mark_read(user=request.user, ids=ids)
    target = notification.get_absolute_url()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: the database and the Celery broker answer."""
    result = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        result["database"] = "down"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        result["broker"] = "eager"
    else:
        try:
            # One quick retry: a probe must answer fast, and the orchestrator retries it.
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        except Exception:
            result["broker"] = "down"
    healthy = "down" not in result.values()
    result["time"] = timezone.now().isoformat()
    return JsonResponse(result, status=200 if healthy else 503)
