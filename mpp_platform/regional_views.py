from django.shortcuts import render


def home(request):
    """A region's MPP home page."""
    return render(request, "regional/home.html", {"mpp": request.tenant, "region": request.region})
