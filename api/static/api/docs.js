// Swagger UI from static files, started without an inline script (the CSP forbids them).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || !window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    deepLinking: false,
    // The schema is read with the officer's session; "Try it out" needs a token (Authorize).
    withCredentials: true,
    persistAuthorization: false,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
