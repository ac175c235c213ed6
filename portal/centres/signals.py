from django.dispatch import receiver
from wagtail.signals import post_page_move

from .models import CentreSectionMixin


@receiver(post_page_move)
def follow_centre_on_move(sender, instance, **kwargs):
    """A page moved into another section now belongs to that centre (the mixin's rule; a move skips clean)."""
    specific_class = instance.specific_class
    if specific_class is None or not issubclass(specific_class, CentreSectionMixin):
        return
    page = specific_class.objects.get(pk=instance.pk)
    before = page.centre_id
    page.take_centre_from_section()
    if page.centre_id != before:
        specific_class.objects.filter(pk=page.pk).update(centre=page.centre_id)
