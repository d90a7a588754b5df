"""Read routes whose query parameters are validated without FastAPI's per-request dependency solving.

FastAPI solves a route's dependencies on every request: for each parameter and each dependency it
looks up aliases, sequence types and parameter models again, and for a listing with fourteen query
parameters that cost more CPU than the page's own SQL. :class:`QueryRoute` does the same work with
what FastAPI built once for the route: each query parameter a request gives is validated by the
field FastAPI made for it (so values, defaults and errors are FastAPI's own), an absent one takes
its default, and the route's dependencies (which may only read the request: the app's range and
CSRF checks, the bearer scheme, today) are awaited in their order. The OpenAPI description is
FastAPI's, made from the same signature.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from copy import deepcopy
from typing import Any

from fastapi import routing as fastapi_routing
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.security.base import SecurityBase
from starlette.requests import Request
from starlette.responses import Response

from .routing import CommitRoute

Check = Callable[[Request], Awaitable[Any]]


def _effective_dependant(route: fastapi_routing.APIRoute) -> Dependant:
    """The route's dependant as included in the app, with the including routers' dependencies (FastAPI
    builds an included route's handler while this context is set)."""
    context_var = getattr(fastapi_routing, "_effective_route_context_var", None)
    context = context_var.get() if context_var is not None else None
    if context is not None and getattr(context, "original_route", None) is route:
        return context.dependant  # type: ignore[no-any-return]
    return route.dependant


def _is_async(call: Any) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__)


def _request_only(dependant: Dependant) -> Check:
    """The call of a dependency that takes the request alone and is awaited; anything else is refused
    when the app is built, so no dependency is ever skipped."""
    params = (
        dependant.path_params,
        dependant.query_params,
        dependant.header_params,
        dependant.cookie_params,
        dependant.body_params,
        dependant.dependencies,
    )
    if dependant.call is None or any(params) or not _is_async(dependant.call):
        raise TypeError(f"查询路由的依赖 {dependant.call!r} 须为 async 且只接收请求")
    call = dependant.call
    if isinstance(call, SecurityBase):  # FastAPI hands a security scheme the request itself
        return lambda request: call(request)
    if dependant.request_param_name is None:
        return lambda request: call()
    name = dependant.request_param_name
    return lambda request: call(**{name: request})


def _scalar_optional(field: ModelField) -> ModelField:
    if field.field_info.is_required():
        raise TypeError(f"查询路由的参数 {field.name} 须有默认值")
    return field


class QueryRoute(CommitRoute):
    """An ``APIRoute`` for an ``async`` endpoint taking the request, query parameters with defaults
    and request-only dependencies, and returning a ``Response`` (see the module)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        dependant = _effective_dependant(self)
        if (
            dependant.path_params
            or dependant.header_params
            or dependant.cookie_params
            or dependant.body_params
        ):
            raise TypeError(f"查询路由 {self.path} 只能读取查询参数")
        if not inspect.iscoroutinefunction(self.endpoint):
            raise TypeError(f"查询路由 {self.path} 的处理函数须为 async")
        checks = [(sub.name, _request_only(sub)) for sub in dependant.dependencies]
        fields = [(f.alias, f.name, _scalar_optional(f)) for f in dependant.query_params]
        request_name = dependant.request_param_name
        endpoint = self.endpoint

        async def handle(request: Request) -> Response:
            values: dict[str, Any] = {}
            for name, check in checks:
                value = await check(request)
                if name is not None:
                    values[name] = value
            given = request.query_params
            errors: list[Any] = []
            for alias, name, field in fields:
                raw = given.get(alias)
                if raw is None:
                    values[name] = deepcopy(field.default)
                    continue
                value, problems = field.validate(raw, values, loc=("query", alias))
                if problems:
                    errors.extend(problems)
                else:
                    values[name] = value
            if errors:
                raise RequestValidationError(errors)
            if request_name is not None:
                values[request_name] = request
            response = await endpoint(**values)
            if not isinstance(response, Response):
                raise TypeError(f"查询路由 {self.path} 的处理函数须返回 Response")
            return response

        return handle
