from typing import cast

from django.contrib.auth import login, logout, update_session_auth_hash
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.personal_data import PersonalDataArchiveSerializer, personal_data_archive
from accounts.api.serializers import (
    AccountDeleteSerializer,
    ApiKeyCreatedSerializer,
    ApiKeyCreateSerializer,
    ApiKeyReadSerializer,
    PasswordChangeSerializer,
    UserLoginSerializer,
    UserPreferencesSerializer,
    UserReadSerializer,
    UserRegisterSerializer,
    UserUpdateSerializer,
)
from accounts.clients import client_ident
from accounts.models import ApiKey, User
from accounts.selectors import api_key_list
from api.schema import UUID_PATTERN


class CsrfView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer("CsrfTokenResponse", {"csrf_token": serializers.CharField()}),
        summary="Get a CSRF token (also set as the csrftoken cookie) for session logins and writes.",
    )
    def get(self, request):
        return Response({"csrf_token": get_token(request)})


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=UserRegisterSerializer, responses={201: UserReadSerializer})
    def post(self, request):
        serializer = UserRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.user_create(
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            timezone_name=data["timezone"],
        )
        return Response(UserReadSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=UserLoginSerializer, responses={200: UserReadSerializer})
    def post(self, request):
        # DRF exempts views from CSRF; a login form is a classic CSRF target, so check it here.
        SessionAuthentication().enforce_csrf(request)
        serializer = UserLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.login_attempt(
                request=request._request,
                email=serializer.validated_data["email"],
                password=serializer.validated_data["password"],
                client_ident=client_ident(request),
            )
        except services.LoginLocked as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from exc
        if user is None:
            return Response(
                {"detail": "Email or password is not correct."}, status=status.HTTP_400_BAD_REQUEST
            )
        login(request, user)  # Django upgrades an old password hash here, on the successful check
        return Response(UserReadSerializer(user).data)


class LogoutView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserReadSerializer)
    def get(self, request):
        return Response(UserReadSerializer(request.user).data)

    @extend_schema(request=UserUpdateSerializer, responses=UserReadSerializer)
    def patch(self, request):
        serializer = UserUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=cast(User, request.user), **serializer.validated_data)
        return Response(UserReadSerializer(user).data)

    @extend_schema(
        request=AccountDeleteSerializer,
        responses={204: None},
        summary="Delete your account and everything it owns (needs your current password).",
    )
    def delete(self, request):
        serializer = AccountDeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_delete(user=cast(User, request.user), password=serializer.validated_data["password"])
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportView(APIView):
    """Everything Folio keeps of the signed-in reader, as one JSON document (never secrets or hashes)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PersonalDataArchiveSerializer, summary="Download all your data.")
    def get(self, request):
        archive = personal_data_archive(user=cast(User, request.user))
        return Response(archive, headers={"Content-Disposition": 'attachment; filename="folio-data.json"'})


class MePasswordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_change_password(user=request.user, **serializer.validated_data)
        if request.auth is None:  # keep the session that made the change signed in
            update_session_auth_hash(request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MePreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserPreferencesSerializer)
    def get(self, request):
        return Response(UserPreferencesSerializer(request.user.preferences).data)

    @extend_schema(request=UserPreferencesSerializer, responses=UserPreferencesSerializer)
    def patch(self, request):
        preferences = request.user.preferences
        serializer = UserPreferencesSerializer(preferences, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        preferences = services.user_preferences_update(preferences=preferences, **serializer.validated_data)
        return Response(UserPreferencesSerializer(preferences).data)


class ApiKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = ApiKeyReadSerializer
    queryset = ApiKey.objects.none()  # for the schema generator; requests use get_queryset()
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        return api_key_list(user=cast(User, self.request.user))  # IsAuthenticated: never anonymous

    @extend_schema(request=ApiKeyCreateSerializer, responses={201: ApiKeyCreatedSerializer})
    def create(self, request):
        serializer = ApiKeyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        api_key, full_key = services.api_key_create(user=request.user, **serializer.validated_data)
        data = ApiKeyCreatedSerializer(api_key).data
        data["key"] = full_key
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None}, summary="Revoke a key (idempotent).")
    def destroy(self, request, pk=None):
        api_key = get_object_or_404(self.get_queryset(), pk=pk)
        services.api_key_revoke(api_key=api_key)
        return Response(status=status.HTTP_204_NO_CONTENT)
