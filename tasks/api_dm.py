"""Label Studio's data-manager API: saved views (``/api/dm/views``) and actions on a selection of
tasks (``/api/dm/actions``: delete tasks, delete annotations or predictions, retrieve predictions,
predictions to annotations, delete ground truths). Selections are tasks.selection's."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core.exceptions import ApplicationError, Forbidden
from projects.access import ALL_ROLES, MANAGER, MANAGERS, Roles, check_role, project_for, role_of

from . import dm_actions
from .models import DataManagerView
from .selection import selected_tasks, view_of


class ViewSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataManagerView
        fields = ["id", "project", "user", "data", "order", "created_at", "updated_at"]
        read_only_fields = ["id", "project", "user", "created_at", "updated_at"]

    def to_representation(self, instance):
        out = super().to_representation(instance)
        data = instance.data or {}
        out.update(ordering=data.get("ordering"), selected_items=data.get("selectedItems"), filter_group=None)
        return out


def _project(request, source=None, *, roles: Roles = ALL_ROLES, denied: str | None = None):
    project_id = (source or {}).get("project") or request.query_params.get("project")
    if project_id in (None, ""):
        raise ValidationError({"detail": "send the project", "field": "project"})
    return project_for(request.user, project_id, roles=roles, denied=denied)


def _view(request, pk) -> DataManagerView:
    view = DataManagerView.objects.filter(pk=pk).select_related("project").first()
    check_role(role_of(request.user, view.project) if view else None, missing="no such view")
    return view


class ViewList(APIView):
    @extend_schema(responses=ViewSerializer(many=True))
    def get(self, request):
        project = _project(request)
        return Response(ViewSerializer(DataManagerView.objects.filter(project=project), many=True).data)

    @extend_schema(request=ViewSerializer, responses={201: ViewSerializer})
    def post(self, request):
        project = _project(request, request.data)
        body = ViewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _check_view_data(body.validated_data.get("data") or {})
        view = body.save(project=project, user=request.user)
        return Response(ViewSerializer(view).data, status=status.HTTP_201_CREATED)


def _check_view_data(data) -> None:
    """A view whose filters we could not apply is refused now, not when someone lists its tasks."""
    from .dm_query import apply_query
    from .models import Task

    if not isinstance(data, dict):
        raise ApplicationError("data must be an object", field="data")
    apply_query(Task.objects.none(), filters=data.get("filters"), ordering=data.get("ordering"))


def _editable(request, view) -> DataManagerView:
    """Views are changed by their author or the project's managers."""
    if view.user_id != request.user.pk and role_of(request.user, view.project) != MANAGER:
        raise Forbidden("only the view's author or a manager changes it")
    return view


class ViewDetail(APIView):
    @extend_schema(responses=ViewSerializer)
    def get(self, request, pk):
        return Response(ViewSerializer(_view(request, pk)).data)

    @extend_schema(request=ViewSerializer, responses=ViewSerializer)
    def patch(self, request, pk):
        view = _editable(request, _view(request, pk))
        body = ViewSerializer(view, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if "data" in body.validated_data:
            merged = {**(view.data or {}), **(body.validated_data["data"] or {})}
            _check_view_data(merged)
            body.validated_data["data"] = merged
        return Response(ViewSerializer(body.save()).data)

    put = patch

    def delete(self, request, pk):
        _editable(request, _view(request, pk)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class ViewReset(APIView):
    """DELETE /api/dm/views/reset/?project= — remove all of the project's views."""

    def delete(self, request):
        source = request.data if isinstance(request.data, dict) else None
        project = _project(request, source, roles=MANAGERS, denied="only managers remove all views")
        DataManagerView.objects.filter(project=project).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    post = delete


class ViewOrder(APIView):
    """POST /api/dm/views/order/ {project, ids} — the tabs' order."""

    def post(self, request):
        project = _project(request, request.data)
        ids = request.data.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise ValidationError({"detail": "send ids: the views in their new order", "field": "ids"})
        views = DataManagerView.objects.filter(project=project)
        if role_of(request.user, project) != MANAGER:  # like editing: one's own views only
            views = views.filter(user=request.user)
        for order, view_id in enumerate(ids):
            views.filter(pk=view_id).update(order=order)
        return Response(status=status.HTTP_200_OK)


class ActionList(APIView):
    """GET /api/dm/actions/?project= — the actions; POST ?id=<action>&project=&view= with
    ``{"selectedItems", "filters", "ordering"}`` runs one on the selection."""

    def get(self, request):
        project = _project(request)
        manager = role_of(request.user, project) == MANAGER
        return Response([a for a in dm_actions.ACTIONS_INFO if manager or not a["permission"]])

    def post(self, request):
        project = _project(request, roles=MANAGERS, denied="only managers run data manager actions")
        action_id = request.query_params.get("id") or request.data.get("id")
        body = request.data if isinstance(request.data, dict) else {}
        selected = body.get("selectedItems", body.get("selected_items"))
        if selected is None:
            raise ValidationError(
                {
                    "detail": 'send selectedItems: {"all": false, "included": [ids]} or {"all": true}',
                    "field": "selectedItems",
                }
            )
        view = view_of(project, request.query_params.get("view"))
        tasks = selected_tasks(project, selected=selected, filters=body.get("filters"), view=view)
        result = dm_actions.run(action_id, project=project, tasks=tasks, user=request.user, body=body)
        return Response(result)
