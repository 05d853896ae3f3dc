from django import template

register = template.Library()


@register.filter
def vi_name(user) -> str:
    """Vietnamese order: family and middle names, then the given name (Lê Thu Hà)."""
    if user is None:
        return "–"
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.username
