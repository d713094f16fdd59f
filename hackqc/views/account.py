from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView

from hackqc import services
from hackqc.forms import ProfileForm


class ProfileView(LoginRequiredMixin, FormView):
    form_class = ProfileForm
    template_name = "account/profile.html"
    success_url = reverse_lazy("profile")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def form_valid(self, form):
        services.update_profile(self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Profile saved."))
        return super().form_valid(form)
