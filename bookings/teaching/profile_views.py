"""The teacher's own profile (/lesgeven/profiel/): her text and portrait on her public page. Only her own:
the page takes no id, it is always the signed-in teacher's."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.roles import teacher_required

from .profile_forms import TeacherProfileForm


@teacher_required
def profile(request):
    teacher = getattr(request.user, "teacher_profile", None)
    if teacher is None:  # an admin who teaches no classes herself has no public teacher's page
        return render(request, "bookings/teaching/profile.html", {"teacher": None})
    form = TeacherProfileForm(request.POST or None, request.FILES or None, instance=teacher)
    if request.method == "POST" and form.is_valid():
        form.save()  # the public pages are renewed (a teacher is content) and her portrait's copies follow
        messages.success(request, _("Your profile is saved; your page shows it now."))
        return redirect("teaching:profile")
    return render(request, "bookings/teaching/profile.html", {"teacher": teacher, "form": form},
                  status=400 if form.is_bound else 200)
