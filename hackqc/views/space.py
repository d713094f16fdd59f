from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from hackqc.space import space_for


class SpaceView(LoginRequiredMixin, TemplateView):
    """ "Mon espace": every piece of work the person has, grouped by edition."""

    template_name = "hackqc/space.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=space_for(self.request.user), **kwargs)
