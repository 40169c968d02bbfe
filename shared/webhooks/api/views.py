"""Webhook subscribers and the event feed, on both sites.

National site: superadmins manage national subscribers (every region's events) and read the
whole feed. A region's site: its DPMPTSP admins manage that region's subscribers and read that
region's events only; another region's subscriber is a 404.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from shared.access.api import RegionStaffAPI, SuperadminAPI
from shared.accounts.models import ADMIN_ROLES
from shared.webhooks import services
from shared.webhooks.api import serializers as s
from shared.webhooks.models import Event, Subscriber


class EventCursorPagination(CursorPagination):
    """Oldest first, by id: a consumer keeps the last ``next`` link and polls it."""

    ordering = "id"
    has_next: bool = False  # set by CursorPagination.paginate_queryset
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # A feed never ends: the last page still links to "what comes after it", so a consumer that
    # pulls keeps one cursor and polls it (an empty page links to itself).
    endless = True

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        if self.endless and page and not self.has_next:  # type: ignore[has-type]
            # The cursor after the last item (positions are unique ids, so no offset).
            self.has_next = True
            self.next_position = None
        return page

    def get_next_link(self):
        if self.endless and not self.page:
            return self.request.build_absolute_uri()
        return super().get_next_link()


class _SubscriberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.SubscriberSerializer
    queryset = Subscriber.objects.none()  # for the schema; see get_queryset

    def _region(self):
        return self.request.region

    def get_queryset(self):
        region = self._region()
        if region is None:
            return Subscriber.objects.filter(region__isnull=True)
        return Subscriber.objects.filter(region=region)

    @extend_schema(responses={201: s.SubscriberCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscriber = services.subscriber_create(
            actor=request.user,
            region=self._region(),
            name=serializer.validated_data["name"],
            url=serializer.validated_data["url"],
            event_kinds=serializer.validated_data.get("event_kinds"),
        )
        return Response(
            s.SubscriberCreatedSerializer(subscriber).data, status=status.HTTP_201_CREATED
        )

    def perform_update(self, serializer):
        services.subscriber_update(
            actor=self.request.user, subscriber=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.subscriber_delete(actor=self.request.user, subscriber=instance)

    @extend_schema(request=None, responses=s.SubscriberSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        subscriber = services.subscriber_resume(actor=request.user, subscriber=self.get_object())
        return Response(s.SubscriberSerializer(subscriber).data)

    @extend_schema(responses=s.DeliverySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=EventCursorPagination)
    def deliveries(self, request, pk=None):
        subscriber = self.get_object()
        deliveries = subscriber.deliveries.select_related("event").prefetch_related("log")
        self.paginator.ordering = "-id"
        self.paginator.endless = False
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(s.DeliverySerializer(page, many=True).data)


class _EventFeed(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.EventSerializer
    pagination_class = EventCursorPagination
    queryset = Event.objects.none()

    def get_queryset(self):
        events = Event.objects.select_related("region")
        region = self.request.region
        if region is not None:
            events = events.filter(region=region)
        kind = self.request.query_params.get("type")
        if kind:
            events = events.filter(kind=kind)
        return events

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([services.event_payload(e) for e in page])


@extend_schema(tags=["webhooks"], summary=_("Pelanggan webhook nasional"))
class NationalSubscriberViewSet(SuperadminAPI, _SubscriberViewSet):
    """National subscribers (the national portal): every region's events."""


@extend_schema(tags=["webhooks"], summary=_("Pelanggan webhook daerah"))
class RegionSubscriberViewSet(RegionStaffAPI, _SubscriberViewSet):
    """This region's subscribers (DPMPTSP admins): this region's events only."""

    allowed_roles = ADMIN_ROLES


@extend_schema(tags=["events"])
class NationalEventFeed(SuperadminAPI, _EventFeed):
    """Every event, oldest first, by cursor."""


@extend_schema(tags=["events"])
class RegionEventFeed(RegionStaffAPI, _EventFeed):
    """This region's events, oldest first, by cursor."""

    allowed_roles = ADMIN_ROLES
