"""Slower certificate renderers for the tests that kill or race a worker while
it renders: the worker is started with ``CERTIFICATES_RENDERER`` naming one."""

import time

from certificates.rendering import CertificateRenderer


class SlowCertificateRenderer(CertificateRenderer):
    """Long enough for Redis to redeliver the message to a second worker."""

    delay_seconds = 8.0

    def render_content(self, template, content) -> bytes:
        time.sleep(self.delay_seconds)
        return super().render_content(template, content)


class StalledCertificateRenderer(SlowCertificateRenderer):
    """Long enough for the test to kill the worker mid-render."""

    delay_seconds = 60.0
