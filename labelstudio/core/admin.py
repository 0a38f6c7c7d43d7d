"""Admin building blocks for big tables, and the Job admin.

``FastAdminMixin`` keeps changelists fast on tables with millions of rows: no second unfiltered
COUNT(*) (``show_full_result_count = False``) and a paginator that, on PostgreSQL, takes the
planner's row estimate instead of counting when the estimate is large (the page then says
"about N"). Small results are still counted exactly.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import DatabaseError, connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .models import Job, Organization, OrganizationMember

EXACT_COUNT_BELOW = 20_000


def estimated_count(qs: QuerySet) -> int | None:
    """PostgreSQL's estimate of how many rows ``qs`` returns (EXPLAIN, nothing executed)."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = qs.order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
    except DatabaseError:
        return None
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            estimate = estimated_count(self.object_list)
            if estimate is not None and estimate >= EXACT_COUNT_BELOW:
                return estimate
        return super().count


class FastAdminMixin:
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50


@admin.register(Job)
class JobAdmin(FastAdminMixin, admin.ModelAdmin):
    list_display = ["id", "kind", "status", "project", "progress", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["=id", "error"]
    list_select_related = ["project", "created_by"]
    raw_id_fields = ["project", "created_by"]
    readonly_fields = [
        "kind",
        "status",
        "progress_done",
        "progress_total",
        "params",
        "result",
        "error",
        "errors",
        "result_file",
        "attempts",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]

    @admin.display(description="progress")
    def progress(self, obj: Job) -> str:
        return f"{obj.progress_done}/{obj.progress_total}" if obj.progress_total else str(obj.progress_done)


class OrganizationMemberInline(admin.TabularInline):
    model = OrganizationMember
    fields = ("user", "role")
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "created_at")
    search_fields = ("title",)
    inlines = [OrganizationMemberInline]
