"""Each person's own page of the emails they get."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from .models import EmailPreferences


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = EmailPreferences
        fields = EmailPreferences.CHOICES


def email_preferences(request):
    """Only ever the signed-in person's own choices: there is no id in the URL."""
    preferences = EmailPreferences.objects.filter(user=request.user).first()
    preferences = preferences or EmailPreferences(user=request.user)
    form = EmailPreferencesForm(
        request.POST if request.method == "POST" else None, instance=preferences
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email choices have been saved.")
        return redirect("email_preferences")
    return render(request, "actionplans/email_preferences.html", {"form": form})
