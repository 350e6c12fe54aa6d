from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsPortalAdmin(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_portal_admin)


class ReadAnyWriteAdmin(BasePermission):
    """Any signed-in member of staff reads; only administrators write."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or request.user.is_portal_admin


class IsManager(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_manager)
