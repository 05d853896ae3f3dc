"""The criteria tree editor of Sở Nội vụ (issue 15, Build 5): a (year, block) tree with each
node's maximum and the sum of its children, editable while the year is a draft
(criteria/tree_edit.py); read-only after, with the reason. Every edit is a plain POST that
redirects back to the tree; with htmx the page's main part is swapped in place."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from criteria import tree_edit
from criteria.models import Criterion, Year
from units.access import role_required
from units.models import Block, Membership

HOME_AFFAIRS = Membership.Role.HOME_AFFAIRS


def _blocks(year: Year) -> list[Block]:
    ids = set(Criterion.objects.filter(year=year).values_list("block_id", flat=True))
    ids |= set(year.participations.values_list("block_id", flat=True))
    return list(Block.objects.filter(pk__in=ids).order_by("code"))


@role_required(HOME_AFFAIRS)
def tree_home(request, year: int):
    year = get_object_or_404(Year, year=year)
    blocks = _blocks(year)
    if len(blocks) == 1:
        return redirect("criteria:tree", year=year.year, block=blocks[0].code)
    return render(request, "criteria/tree_home.html", {"year": year, "blocks": blocks})


@role_required(HOME_AFFAIRS)
def tree(request, year: int, block: str):
    year = get_object_or_404(Year, year=year)
    blocks = _blocks(year)
    block = next((b for b in blocks if b.code == block), None)
    if block is None:
        raise Http404("Năm này không có khối đó.")
    return render(
        request,
        "criteria/tree.html",
        {
            "year": year,
            "tree_block": block,
            "blocks": blocks,
            "tree": tree_edit.tree_of(year, block),
            "parents": Criterion.objects.filter(
                year=year, block=block, kind=Criterion.Kind.NORMAL
            ).order_by("sort_key"),
            "refusal": tree_edit.draft_refusal(year),
            "kinds": Criterion.Kind.choices,
        },
    )


ACTIONS = ("add", "save", "up", "down", "delete")


@require_POST
@role_required(HOME_AFFAIRS)
def tree_edit_view(request, year: int, block: str):
    year = get_object_or_404(Year, year=year)
    block_obj = next((b for b in _blocks(year) if b.code == block), None)
    if block_obj is None:
        raise Http404("Năm này không có khối đó.")
    data, by = request.POST, request.user
    action, pk = data.get("action", ""), data.get("node") or None
    try:
        if pk is not None and not str(pk).isdigit():
            raise ValidationError("Không có tiêu chí này trong năm.")
        if action == "add":
            node = tree_edit.node_add(
                year=year,
                block=block_obj,
                parent_pk=pk,
                name=data.get("name"),
                max_points=data.get("max_points"),
                kind=data.get("kind") or Criterion.Kind.NORMAL,
                by=by,
            )
            done = f"Đã thêm tiêu chí {node.code}."
        elif action == "save":
            node = tree_edit.node_update(
                year=year,
                pk=pk,
                name=data.get("name"),
                max_points=data.get("max_points"),
                by=by,
            )
            done = f"Đã lưu tiêu chí {node.code}."
        elif action in ("up", "down"):
            node = tree_edit.node_move(year=year, pk=pk, direction=action, by=by)
            done = f"Đã chuyển tiêu chí thành mã {node.code}."
        elif action == "reparent":
            node = tree_edit.node_reparent(year=year, pk=pk, parent_pk=data.get("parent"), by=by)
            done = f"Đã chuyển tiêu chí thành mã {node.code}."
        elif action == "delete":
            tree_edit.node_delete(year=year, pk=pk, by=by)
            done = "Đã xóa tiêu chí."
        else:
            raise ValidationError("Thao tác không hợp lệ.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("criteria:tree", year=year.year, block=block_obj.code)


urlpatterns = [
    path("<int:year>/bo-chi-so/", tree_home, name="tree_home"),
    path("<int:year>/bo-chi-so/<str:block>/", tree, name="tree"),
    path("<int:year>/bo-chi-so/<str:block>/sua/", tree_edit_view, name="tree_edit"),
]
