"""Read logic of the notices app: a person's own notices, a notice's receipts by unit."""

from django.db.models import Count, F, Q

from headwater.core.owned import ScopedQuerySet


class NoticeQuerySet(ScopedQuerySet):
    def newest_first(self) -> "NoticeQuerySet":
        return self.select_related("published_by__person").order_by("-published_at", "-id")


class ReceiptQuerySet(ScopedQuerySet):
    def mine(self, user) -> "ReceiptQuerySet":
        """The user's own receipts (nobody else's, whatever their role): not done first,
        then newest."""
        if not user.is_authenticated or not user.person_id:
            return self.none()
        return (
            self.filter(person_id=user.person_id)
            .select_related("notice")
            .order_by(F("acknowledged_at").desc(nulls_first=True), "-notice__published_at")
        )

    def pending(self) -> "ReceiptQuerySet":
        """Not done yet (not read, or read but not acknowledged / answered right)."""
        return self.filter(acknowledged_at__isnull=True)

    def unread(self) -> "ReceiptQuerySet":
        return self.filter(read_at__isnull=True)

    def by_unit(self) -> list[dict]:
        """Counts per unit, the worst (lowest share done) first, ties in tree order:
        unit_id, name, total, read, done, not_read, pending."""
        rows = (
            self.values("unit_id", "unit__name", "unit__path")
            .annotate(
                total=Count("pk"),
                read=Count("pk", filter=Q(read_at__isnull=False)),
                done=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            )
            .order_by()
        )
        out = [
            {
                "unit_id": r["unit_id"],
                "name": r["unit__name"],
                "total": r["total"],
                "read": r["read"],
                "done": r["done"],
                "not_read": r["total"] - r["read"],
                "pending": r["total"] - r["done"],
                "rate": r["done"] / r["total"] if r["total"] else 1.0,
                "path": r["unit__path"],
            }
            for r in rows
        ]
        return sorted(out, key=lambda r: (r["rate"], -r["total"], r["path"]))


def totals(units: list[dict]) -> dict:
    """The whole of `by_unit()`'s rows: total, read, done, not_read."""
    total = sum(u["total"] for u in units)
    read = sum(u["read"] for u in units)
    done = sum(u["done"] for u in units)
    return {"total": total, "read": read, "done": done, "not_read": total - read}


def unread_count(user) -> int:
    """The badge beside "Notices" in every page's layout: the user's notices not done yet."""
    from django.apps import apps

    if not user.is_authenticated or not user.person_id:
        return 0
    receipt = apps.get_model("notices", "Receipt")
    return receipt.objects.filter(person_id=user.person_id, acknowledged_at__isnull=True).count()
