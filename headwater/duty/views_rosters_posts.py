"""Post pages (desktop: the office edits posts and shifts; unit heads their teams and reserve
pools), leave (desktop, unit heads) and a person's own wishes (phone). Thin: reads through
`visible_to`, writes through services.rosters_posts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person, Site, Unit
from headwater.core.querysets import reaches
from headwater.duty.forms_rosters import (
    SHIFT_ROWS,
    LeaveForm,
    PeopleForm,
    PostForm,
    ReserveForm,
    ShiftsForm,
    WishForm,
)
from headwater.duty.inputs_rosters import LeaveInput, PostInput, ShiftDefInput, WishInput
from headwater.duty.models import Eligibility, Leave, Post, Preference
from headwater.duty.permissions import MANAGE_POSTS, MANAGE_ROSTERS, VIEW_ROSTERS
from headwater.duty.services import rosters_posts as svc


def _call(request, form, fn, *args, **kwargs) -> bool:
    try:
        fn(*args, **kwargs)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        if form is not None:
            form.add_domain_error(e)
        else:
            messages.error(request, e.message)
        return False
    messages.success(request, _("Saved."))
    return True


def _post_form(request, post=None):
    units = Unit.objects.visible_to(request.user).order_by("path")
    sites = Site.objects.visible_to(request.user).order_by("name")
    initial = {}
    if post is not None:
        initial = {f: getattr(post, f) for f in PostForm.base_fields if hasattr(post, f)}
        initial.update(unit=post.unit_id, site=post.site_id)
    return PostForm(
        request.POST or None,
        units=units,
        sites=sites,
        creating=post is None,
        initial=initial,
        prefix="post",
    )


@login_required
def post_list(request):
    posts = Post.objects.visible_to(request.user).select_related("unit", "site")
    form = _post_form(request) if request.user.has_perm(MANAGE_POSTS) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = {**form.cleaned_data, "active": form.cleaned_data["active"] and "on"}
            try:
                post, _created = svc.save_post(PostInput.parse(data), by=request.user)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from e
            except DomainError as e:
                form.add_domain_error(e)
            else:
                return redirect("duty:post", post.pk)
    return render(request, "duty/rosters_posts.html", {"posts": posts, "form": form})


def _shift_initial(post):
    initial = {}
    for i, d in enumerate(post.shift_defs.all()[:SHIFT_ROWS]):
        initial.update({f"{i}-label": d.label, f"{i}-starts": d.starts, f"{i}-hours": d.hours})
        initial[f"{i}-night"] = d.night
    return initial


@login_required
def post_page(request, pk: int):
    """A post: its settings and shifts (office), its team and reserve pool (unit head)."""
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("unit"), pk=pk)
    user, what = request.user, request.POST.get("form")
    edit_post = user.has_perm(MANAGE_POSTS)
    edit_people = reaches(user, MANAGE_ROSTERS, post.unit)
    post_form = (
        _post_form(request if what == "post" else _Get(request), post) if edit_post else None
    )
    shifts_form = ShiftsForm(
        request.POST if what == "shifts" else None, initial=_shift_initial(post), prefix="s"
    )
    members = Person.objects.active().filter(unit__path__startswith=post.unit.path)
    choices = [(p.pk, p.name) for p in members.order_by("name")[:300]]
    rows = Eligibility.objects.filter(post=post).select_related("person")
    team = [e for e in rows if not e.reserve]
    reserve = [e for e in rows if e.reserve]
    people_form = PeopleForm(
        request.POST if what == "team" else None,
        choices=choices,
        initial={
            "people": [e.person_id for e in team],
            "leaders": [e.person_id for e in team if e.is_leader],
        },
        prefix="t",
    )
    reserve_form = ReserveForm(
        request.POST if what == "reserve" else None,
        initial={"numbers": " ".join(e.person.employee_no for e in reserve)},
        prefix="r",
    )
    if request.method == "POST":
        done = False
        if what == "post" and edit_post and post_form.is_valid():
            data = {**post_form.cleaned_data, "active": post_form.cleaned_data["active"] and "on"}
            done = _call(
                request, post_form, lambda: svc.save_post(PostInput.parse(data), by=user, post=post)
            )
        elif what == "shifts" and edit_post and shifts_form.is_valid():
            done = _call(
                request,
                shifts_form,
                lambda: svc.set_shifts(post, _shift_inputs(shifts_form), by=user),
            )
        elif what == "team" and edit_people and people_form.is_valid():
            c = people_form.cleaned_data
            done = _call(
                request,
                people_form,
                svc.set_people,
                post,
                c["people"],
                c["leaders"],
                reserve=False,
                by=user,
            )
        elif what == "reserve" and edit_people and reserve_form.is_valid():
            numbers = reserve_form.cleaned_data["numbers"].replace(",", " ").split()
            ids = list(
                Person.objects.visible_to(user)
                .filter(employee_no__in=numbers)
                .values_list("pk", flat=True)
            )
            done = _call(request, reserve_form, svc.set_people, post, ids, reserve=True, by=user)
        elif what not in ("post", "shifts", "team", "reserve") or not (edit_post or edit_people):
            raise PermissionDenied
        if done:
            return redirect("duty:post", post.pk)
    context = {
        "post": post,
        "post_form": post_form,
        "shifts_form": shifts_form if edit_post else None,
        "people_form": people_form if edit_people else None,
        "reserve_form": reserve_form if edit_people else None,
        # who staffs a post is for those who see the rosters of its unit; the post itself (its
        # duty phone) is everybody's
        "see_people": reaches(user, VIEW_ROSTERS, post.unit),
        "team": team,
        "reserve": reserve,
    }
    return render(request, "duty/rosters_post.html", context)


class _Get:
    """The request as a GET (an unbound form beside the one that was posted)."""

    def __init__(self, request):
        self.user = request.user
        self.POST = None


def _shift_inputs(form) -> list[ShiftDefInput]:
    found = []
    for i in range(SHIFT_ROWS):
        row = {k: form.cleaned_data.get(f"{i}-{k}") for k in ("label", "starts", "hours", "night")}
        if row["label"] or row["starts"] or row["hours"]:
            found.append(ShiftDefInput.parse(row, prefix=f"{i}-"))
    return found


@login_required
def leave_page(request):
    """Leave of the people of the user's units (the unit head records it)."""
    user = request.user
    units = [u for u in Unit.objects.visible_to(user) if reaches(user, MANAGE_ROSTERS, u)]
    if not units:
        raise PermissionDenied
    people = Person.objects.visible_to(user).active().select_related("unit").order_by("name")
    people = [p for p in people[:1000] if reaches(user, MANAGE_ROSTERS, p.unit)]
    form = LeaveForm(request.POST or None, people=people, prefix="leave")
    if request.method == "POST":
        if request.POST.get("remove"):
            leave = get_object_or_404(
                Leave.objects.visible_to(user).select_related("person__unit"),
                pk=request.POST["remove"],
            )
            _call(request, None, svc.remove_leave, leave, by=user)
            return redirect("duty:leave")
        if form.is_valid():
            if _call(
                request,
                form,
                lambda: svc.record_leave(LeaveInput.parse(form.cleaned_data), by=user),
            ):
                return redirect("duty:leave")
    rows = (
        Leave.objects.visible_to(user).select_related("person").order_by("-starts_on", "-pk")[:200]
    )
    return render(request, "duty/rosters_leave.html", {"rows": rows, "form": form})


@login_required
def wishes_page(request):
    """A person's own wishes for their shifts (phone): a day off, no night, a day to work."""
    user = request.user
    form = WishForm(request.POST or None, prefix="wish")
    if request.method == "POST":
        if request.POST.get("remove"):
            wish = get_object_or_404(Preference.objects.visible_to(user), pk=request.POST["remove"])
            _call(request, None, svc.remove_wish, wish, by=user)
            return redirect("duty:wishes")
        if form.is_valid():
            if _call(
                request, form, lambda: svc.add_wish(WishInput.parse(form.cleaned_data), by=user)
            ):
                return redirect("duty:wishes")
    rows = Preference.objects.visible_to(user).filter(person_id=user.person_id or 0).order_by("day")
    leave = (
        Leave.objects.visible_to(user)
        .filter(person_id=user.person_id or 0)
        .order_by("-starts_on")[:20]
    )
    return render(request, "duty/rosters_wishes.html", {"rows": rows, "form": form, "leave": leave})
