"""sitemap.xml with each address on the host and port the crawler asked (not the Site record's)."""

from wagtail.contrib.sitemaps import Sitemap

from .addresses import on_request_host


class RequestHostSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        if self.request is not None:
            for url_info in urls:
                url_info["location"] = on_request_host(url_info["location"], self.request)
        return urls
