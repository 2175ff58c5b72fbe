#!/usr/bin/env python3
"""One user sends REST messages into a group as fast as two connections allow, past the rate limit, while another
member sends 5 a second. Prints the attacker's answers, the victim's latency, and CPU per process."""
import http.client, json, sys, threading, time, subprocess, os, random

MSG = ('127.0.0.1', 8081)
DUR = float(sys.argv[1]) if len(sys.argv) > 1 else 20
RATE = float(sys.argv[2]) if len(sys.argv) > 2 else 0  # attacker sends a second (both threads), 0: as fast as they can
base = random.randint(10**8, 9 * 10**8)

def token(uid, name):
    c = http.client.HTTPConnection('127.0.0.1', 8090)
    c.request('POST', '/dev/token', json.dumps({'user_id': uid, 'name': name}), {'Content-Type': 'application/json'})
    return json.loads(c.getresponse().read())['token']

def call(conn, method, path, tok, body=None):
    conn.request(method, path, None if body is None else json.dumps(body),
                 {'Authorization': 'Bearer ' + tok, 'Content-Type': 'application/json'})
    r = conn.getresponse()
    data = r.read()
    return r.status, data

A, V, W = base + 1, base + 2, base + 3
toks = {u: token(u, f'u{u}') for u in (A, V, W)}
c = http.client.HTTPConnection(*MSG)
for u in (A, V, W):
    assert call(c, 'GET', '/api/users/me', toks[u])[0] == 200
st, data = call(c, 'POST', '/api/groups', toks[V], {'name': 'abuse', 'member_ids': [A, W]})
assert st == 201, data
gid = json.loads(data)['id']

def cpu(pids):
    t = 0
    for p in pids:
        try:
            f = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()
            t += int(f[11]) + int(f[12])
        except FileNotFoundError:
            pass
    return t / os.sysconf('SC_CLK_TCK')

def pids(pattern):
    out = subprocess.run(['pgrep', '-f', pattern], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]

procs = {'message-service': pids('message-service.*exec.jar'), 'postgres': pids('postgres'),
         'redis': pids('redis-server'), 'gateway': pids('gateway-service.*exec.jar')}
stop = time.time() + DUR
counts = {}
lock = threading.Lock()

def attacker(n):
    conn = http.client.HTTPConnection(*MSG)
    i = 0
    nxt = time.time()
    while time.time() < stop:
        i += 1
        st, _ = call(conn, 'POST', '/api/messages/group', toks[A],
                     {'group_id': gid, 'content': 'spam', 'client_msg_id': f'a{n}-{i}'})
        with lock:
            counts[st] = counts.get(st, 0) + 1
        if RATE:
            nxt += 2 / RATE
            time.sleep(max(0, nxt - time.time()))

lat = []
def victim():
    conn = http.client.HTTPConnection(*MSG)
    i = 0
    nxt = time.time()
    while time.time() < stop:
        i += 1
        t0 = time.perf_counter()
        st, _ = call(conn, 'POST', '/api/messages/group', toks[V],
                     {'group_id': gid, 'content': 'real work', 'client_msg_id': f'v-{i}'})
        lat.append((time.perf_counter() - t0) * 1000)
        assert st == 201, st
        nxt += 0.2
        time.sleep(max(0, nxt - time.time()))

before = {k: cpu(v) for k, v in procs.items()}
threads = [threading.Thread(target=attacker, args=(n,)) for n in range(2)] + [threading.Thread(target=victim)]
for t in threads: t.start()
for t in threads: t.join()
after = {k: cpu(v) for k, v in procs.items()}
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
total = sum(counts.values())
print(json.dumps({
    'attacker_sends': total, 'answers': counts,
    'victim_sends': len(lat), 'victim_p50_ms': round(q(0.5), 2), 'victim_p99_ms': round(q(0.99), 2),
    'victim_max_ms': round(lat[-1], 2),
    'cpu_s': {k: round(after[k] - before[k], 2) for k in procs},
    'message_service_cpu_us_per_attacker_send': round((after['message-service'] - before['message-service']) / max(total, 1) * 1e6, 1),
    'postgres_cpu_us_per_attacker_send': round((after['postgres'] - before['postgres']) / max(total, 1) * 1e6, 1),
}))
