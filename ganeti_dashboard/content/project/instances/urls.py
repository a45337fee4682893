from ganeti_dashboard.content import access
from ganeti_dashboard.content.instances import urls as instance_urls
from ganeti_dashboard.content.project.instances import views

urlpatterns = access.guarded(instance_urls.patterns(views))
