"""The signed-in person's unread notices, for the menu of every page ("Thông báo (3)")."""

from django.utils.functional import SimpleLazyObject

from .services import unread_count


def unread_notices(request):
    # Lazy: counted only on the pages whose template shows it.
    return {"unread_notices": SimpleLazyObject(lambda: unread_count(request.user))}
