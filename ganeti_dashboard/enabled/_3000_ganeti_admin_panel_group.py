# Copyright 2026 The ganeti-dashboard Authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

from django.utils.translation import gettext_lazy as _

from ganeti_dashboard.api import errors

PANEL_GROUP = "ganeti"
PANEL_GROUP_NAME = _("Ganeti")
PANEL_GROUP_DASHBOARD = "admin"

ADD_INSTALLED_APPS = ["ganeti_dashboard"]
# Horizon's pages get <html lang> from the request's language (the file
# says why it is a script).
ADD_JS_FILES = ["ganeti_dashboard/js/html-lang.js"]
ADD_EXCEPTIONS = {
    "recoverable": errors.RECOVERABLE,
    "not_found": errors.NOT_FOUND,
    "unauthorized": errors.UNAUTHORIZED,
}
