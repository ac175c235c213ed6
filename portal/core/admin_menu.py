"""An admin menu item shown only to the users a predicate accepts (each view checks again itself)."""

from wagtail.admin.menu import MenuItem


class UserMenuItem(MenuItem):
    def __init__(self, label, url, shown_to, **kwargs):
        super().__init__(label, url, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)
