from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import UUID_PATTERN
from stories import selectors, services
from stories.api.ranges import ranged_file_response
from stories.api.serializers import (
    IntentReadSerializer,
    IntentUpdateSerializer,
    IntentWriteSerializer,
    RepositoryReadSerializer,
    RepositoryUpdateSerializer,
    RepositoryWriteSerializer,
    StoryDetailSerializer,
    StoryReadSerializer,
    StoryWriteSerializer,
    UsageSerializer,
)
from stories.media import chapter_audio_path, story_audio_path
from stories.models import Repository, Story, StoryIntent


class OwnedViewSet(viewsets.GenericViewSet):
    """Everything here belongs to its owner; anyone else's objects answer 404."""

    permission_classes = [IsAuthenticated]
    required_scope = "stories:write"
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def _own(self, model, pk):
        return get_object_or_404(model.objects.filter(user=self.request.user), pk=pk) if pk else None


class RepositoryViewSet(OwnedViewSet):
    queryset = Repository.objects.none()
    serializer_class = RepositoryReadSerializer

    def get_queryset(self):
        return selectors.repository_list(user=self.request.user)

    @extend_schema(request=RepositoryWriteSerializer, responses={201: RepositoryReadSerializer})
    def create(self, request):
        serializer = RepositoryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        repository = services.repository_create(user=request.user, **serializer.validated_data)
        return Response(RepositoryReadSerializer(repository).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RepositoryUpdateSerializer, responses=RepositoryReadSerializer)
    def partial_update(self, request, pk=None):
        serializer = RepositoryUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        repository = self.get_object()
        if "default_branch" in serializer.validated_data:  # an empty PATCH changes nothing
            repository = services.repository_update(
                repository=repository, default_branch=serializer.validated_data["default_branch"]
            )
        return Response(RepositoryReadSerializer(repository).data)

    def destroy(self, request, pk=None):
        services.repository_delete(repository=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class IntentViewSet(OwnedViewSet):
    queryset = StoryIntent.objects.none()
    serializer_class = IntentReadSerializer

    def get_queryset(self):
        return selectors.intent_list(user=self.request.user)

    @extend_schema(request=IntentWriteSerializer, responses={201: IntentReadSerializer})
    def create(self, request):
        serializer = IntentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        repository = self._own(Repository, data.pop("repository"))
        intent = services.intent_create(user=request.user, repository=repository, **data)
        return Response(IntentReadSerializer(intent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IntentUpdateSerializer, responses=IntentReadSerializer)
    def partial_update(self, request, pk=None):
        serializer = IntentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        intent = services.intent_update(intent=self.get_object(), **serializer.validated_data)
        return Response(IntentReadSerializer(intent).data)

    def destroy(self, request, pk=None):
        services.intent_delete(intent=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class WavRenderer(BaseRenderer):
    """Lets a client ask for ``audio/wav``; the audio views return the file themselves."""

    media_type = "audio/wav"
    format = "wav"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


AUDIO_RESPONSES = {
    (200, "audio/wav"): OpenApiResponse(OpenApiTypes.BINARY, description="The whole file."),
    (206, "audio/wav"): OpenApiResponse(OpenApiTypes.BINARY, description="The byte range asked for."),
    416: OpenApiResponse(description="The range lies outside the file (see Content-Range)."),
}
RANGE_HEADER = OpenApiParameter(
    "Range", str, OpenApiParameter.HEADER, required=False, description="One byte range, e.g. bytes=0-1023."
)


def _audio_file(request, path):
    if not path.is_file():
        raise Http404
    return ranged_file_response(request, path, "audio/wav")


class StoryViewSet(OwnedViewSet):
    """Stories are generated in the background: POST answers 202 with a pending story; poll its status."""

    queryset = Story.objects.none()
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.story_list(user=self.request.user)
        return selectors.story_detail_queryset(user=self.request.user)

    def get_serializer_class(self):
        return StoryReadSerializer if self.action == "list" else StoryDetailSerializer

    @extend_schema(request=StoryWriteSerializer, responses={202: StoryDetailSerializer})
    def create(self, request):
        serializer = StoryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        repository = self._own(Repository, data.pop("repository"))
        intent = self._own(StoryIntent, data.pop("intent", None))
        since_story = self._own(Story, data.pop("since_story", None))
        story = services.story_create(
            user=request.user, repository=repository, intent=intent, since_story=since_story, **data
        )
        story = self.get_queryset().get(pk=story.pk)
        return Response(StoryDetailSerializer(story).data, status=status.HTTP_202_ACCEPTED)

    def destroy(self, request, pk=None):
        services.story_delete(story=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={202: StoryDetailSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        story = services.story_retry(story=self.get_object())
        return Response(
            StoryDetailSerializer(self.get_queryset().get(pk=story.pk)).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        responses=AUDIO_RESPONSES,
        parameters=[RANGE_HEADER],
        summary="The story's audio, for its owner only; byte ranges let players seek.",
    )
    @action(detail=True, methods=["get"], renderer_classes=[WavRenderer, JSONRenderer])
    def audio(self, request, pk=None):
        story = selectors.story_with_audio(user=request.user, story_id=pk)
        return _audio_file(request, story_audio_path(story.pk))

    @extend_schema(
        responses=AUDIO_RESPONSES,
        parameters=[RANGE_HEADER],
        summary="One chapter's audio, for the story's owner only; byte ranges let players seek.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"chapters/(?P<chapter_number>[0-9]{1,6})/audio",
        renderer_classes=[WavRenderer, JSONRenderer],
    )
    def chapter_audio(self, request, pk=None, chapter_number=None):
        chapter = selectors.chapter_with_audio(user=request.user, story_id=pk, chapter_number=chapter_number)
        return _audio_file(request, chapter_audio_path(chapter.story_id, chapter.chapter_number))


class VttRenderer(BaseRenderer):
    """Lets a client ask for ``text/vtt``; the transcript views return the text themselves."""

    media_type = "text/vtt"
    format = "vtt"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


VTT_RESPONSES = {(200, "text/vtt"): OpenApiResponse(OpenApiTypes.STR, description="A WebVTT file.")}


class StoryTranscriptView(APIView):
    """The story's WebVTT: its transcript, one cue per spoken sentence timed from the audio, or its
    chapter markers. Its owner's only; a story still being made has none yet (404)."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [VttRenderer, JSONRenderer]
    field = "transcript_vtt"

    @extend_schema(responses=VTT_RESPONSES)
    def get(self, request, pk):
        text = selectors.story_vtt(user=request.user, story_id=pk, field=self.field)
        return HttpResponse(text, content_type="text/vtt; charset=utf-8")


class StoryChaptersVttView(StoryTranscriptView):
    field = "chapters_vtt"


class UsageView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UsageSerializer)
    def get(self, request):
        return Response(UsageSerializer(selectors.story_usage(user=request.user)).data)
