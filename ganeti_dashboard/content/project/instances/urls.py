from ganeti_dashboard.content.instances import urls as instance_urls
from ganeti_dashboard.content.project.instances import views

urlpatterns = instance_urls.patterns(views)
