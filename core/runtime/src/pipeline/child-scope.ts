import { Container } from 'inversify';

/**
 * The one way a scope is made below another: a container that sees every binding of `parent` and
 * may shadow any of them with its own (a part's pointer and upstream sizes, a service replaced for
 * one pipeline). Plugin registries scope themselves the same way with `PluginRegistry.child()`.
 */
export function childScope(parent: Container): Container {
  return new Container({ parent });
}
