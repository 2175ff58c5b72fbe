// REST calls to message-service and presence-service with the user's bearer token, and development tokens.

import { SESSION_KEY, state } from './state.js';

export function messageUrl(path) {
  return `${state.config.message_service_url || ''}${path}`;
}

export function presenceUrl(path) {
  return `${state.config.presence_service_url || ''}${path}`;
}

export async function api(url, { method = 'GET', body } = {}, retried = false) {
  const headers = { Authorization: `Bearer ${state.session.token}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && state.session.dev && !retried) {
    await refreshDevToken();
    return api(url, { method, body }, true);
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch (e) {
      // not a problem-detail body
    }
    const error = new Error(problem.detail || problem.title || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.code = problem.code;
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

export async function fetchDevToken(userId, name) {
  const response = await fetch(state.config.dev_token_url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId, name }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.detail || `the token issuer answered ${response.status}`);
  }
  return body;
}

export async function refreshDevToken() {
  const issued = await fetchDevToken(state.session.user_id, state.session.name);
  state.session = { ...state.session, token: issued.token, expires_at: issued.expires_at };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
  return issued.token;
}

export function decodeJwt(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
  } catch (e) {
    return null;
  }
}
