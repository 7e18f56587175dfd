"""Content-Security-Policy and Permissions-Policy on every HTML page.

Our pages load scripts and styles from our own origin only: no inline script,
no style attribute (templates use classes and static files). The Wagtail admin
needs inline scripts and styles (its editor and widgets), so its pages get a
policy of their own; both keep plugins, foreign forms and framing out.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            admin = request.path.startswith(settings.SECURITY_ADMIN_PATH_PREFIX)
            policy = settings.SECURITY_CSP_ADMIN if admin else settings.SECURITY_CSP
            if policy and "Content-Security-Policy" not in response:
                response["Content-Security-Policy"] = policy
        if settings.SECURITY_PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.SECURITY_PERMISSIONS_POLICY
        return response
