/*
 * Copyright 2026 The ganeti-dashboard Authors
 *
 *    Licensed under the Apache License, Version 2.0 (the "License"); you may
 *    not use this file except in compliance with the License. You may obtain
 *    a copy of the License at
 *
 *         http://www.apache.org/licenses/LICENSE-2.0
 *
 *    Unless required by applicable law or agreed to in writing, software
 *    distributed under the License is distributed on an "AS IS" BASIS,
 *    WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or
 *    implied. See the License for the specific language governing
 *    permissions and limitations under the License.
 */

/*
 * The page's language on <html lang>, where screen readers, hyphenation and
 * the browser's translation offer look for it. Horizon's base template
 * writes no lang attribute, but its page configuration carries the language
 * Django chose for this request (horizon.languageCode, from the user's
 * setting or the browser's Accept-Language); the plugin adds it through
 * Horizon's ADD_JS_FILES hook rather than replacing Horizon's template.
 */
(function () {
  "use strict";
  var code = window.horizon && window.horizon.languageCode;
  if (code && !document.documentElement.getAttribute("lang")) {
    document.documentElement.setAttribute("lang", code);
  }
}());
