import type { ComponentChildren } from 'preact';
import { linkClick } from './router';
import { stateClass } from './format';

export function Link(p: { to: string; children: ComponentChildren; class?: string; title?: string }) {
  return <a href={p.to} class={p.class} title={p.title} onClick={(e) => linkClick(e as MouseEvent, p.to)}>{p.children}</a>;
}

export function State(p: { state: string }) {
  return <span class={`state ${stateClass(p.state)}`}>{p.state}</span>;
}

export function ErrorBox(p: { error?: string }) {
  return p.error ? <div class="error" role="alert">{p.error}</div> : null;
}

export function Loading() {
  return <div class="muted">loading…</div>;
}
