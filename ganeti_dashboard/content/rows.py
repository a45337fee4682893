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

"""Rows that refresh themselves while a job of ours runs on their object.

Horizon asks for such a row again and again (``?action=row_update``); an
exception there becomes an empty answer with status 100, which the browser
drops. So a row whose object is gone answers 404 (Horizon's script removes
the row), and a row whose cluster cannot answer now comes back marked with
the cause, and keeps polling until the cluster answers again.
"""

from django.http import Http404

from horizon import tables

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import models
from ganeti_dashboard.conf import loader


class RefreshedRow(tables.Row):
    """Subclasses say how to read the row's object (:meth:`fetch`) and how
    to stand for one that cannot be read now (``model.unknown``).
    """

    ajax = True
    model = None  # a class of api.models with an ``unknown`` constructor

    def fetch(self, request, obj_id):
        raise NotImplementedError

    def get_data(self, request, obj_id):
        try:
            return self.fetch(request, obj_id)
        except errors.NotFound:
            raise Http404()
        except (errors.RapiError, loader.ConfigError) as exc:
            cluster, name = models.split_id(obj_id)
            return self.stand_in(request, cluster, name, str(exc))

    def stand_in(self, request, cluster, name, why):
        """The object of a row its cluster cannot tell about now."""
        return self.model.unknown(cluster, name, why)
