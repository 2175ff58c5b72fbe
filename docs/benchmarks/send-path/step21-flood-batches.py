#!/usr/bin/env python3
"""REST sends of many pairs while one user floods past its rate limit, against one message-service instance.
usage: flood-batches.py PORT SECONDS PAIRS RATE_PER_USER FLOOD_RATE [MS_PID]
Prints the pairs' latency, the flooder's answers, the instance's REST batch meters and CPU (instance, PostgreSQL)."""
import http.client, json, sys, threading, time, subprocess, os, random
port = int(sys.argv[1]); DUR = float(sys.argv[2]); PAIRS = int(sys.argv[3]); RATE = float(sys.argv[4])
FLOOD = float(sys.argv[5]); MSPID = int(sys.argv[6]) if len(sys.argv) > 6 else None
base = random.randint(10**8, 9 * 10**8)

def token(uid):
    c = http.client.HTTPConnection('127.0.0.1', 8090)
    c.request('POST', '/dev/token', json.dumps({'user_id': uid, 'name': f'u{uid}'}), {'Content-Type': 'application/json'})
    return json.loads(c.getresponse().read())['token']

def call(conn, method, path, tok, body=None):
    conn.request(method, path, None if body is None else json.dumps(body),
                 {'Authorization': 'Bearer ' + tok, 'Content-Type': 'application/json'})
    r = conn.getresponse(); r.read(); return r.status

users = [base + i for i in range(2 * PAIRS + 2)]
toks = {u: token(u) for u in users}
c = http.client.HTTPConnection('127.0.0.1', port)
for u in users:
    assert call(c, 'GET', '/api/users/me', toks[u]) == 200
flooder, victim = users[-2], users[-1]
pairs = [(users[2 * i], users[2 * i + 1]) for i in range(PAIRS)]
for a, b in pairs + [(flooder, victim)]:  # conversations exist and are known to this instance
    assert call(c, 'POST', '/api/messages/private', toks[a], {'receiver_id': b, 'content': 'hi', 'client_msg_id': 'hi'}) == 201
    assert call(c, 'POST', '/api/messages/private', toks[b], {'receiver_id': a, 'content': 'hi', 'client_msg_id': 'hi'}) == 201

def meters():
    c = http.client.HTTPConnection('127.0.0.1', port); c.request('GET', '/actuator/prometheus')
    out = {}
    for line in c.getresponse().read().decode().splitlines():
        if line.startswith('chat_messages_batch') and 'origin="rest"' in line:
            out[line.split('{')[0]] = float(line.rsplit(' ', 1)[1])
    return out

def cpu(pids):
    t = 0
    for p in pids:
        try:
            f = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split(); t += int(f[11]) + int(f[12])
        except FileNotFoundError:
            pass
    return t / os.sysconf('SC_CLK_TCK')

pg = [int(p) for p in subprocess.run(['pgrep', 'postgres'], capture_output=True, text=True).stdout.split()]
stop = time.time() + DUR
lat = []; counts = {}; lock = threading.Lock()

def sender(me, peer, n0):
    conn = http.client.HTTPConnection('127.0.0.1', port)
    nxt = time.time() + random.random() / RATE; i = 0
    while time.time() < stop:
        time.sleep(max(0, nxt - time.time())); nxt += 1 / RATE; i += 1
        t0 = time.perf_counter()
        st = call(conn, 'POST', '/api/messages/private', toks[me], {'receiver_id': peer, 'content': 'work', 'client_msg_id': f'w{n0}-{i}'})
        with lock:
            lat.append((time.perf_counter() - t0) * 1000)
        assert st == 201, st

def flood(n, threads):
    conn = http.client.HTTPConnection('127.0.0.1', port)
    nxt = time.time(); i = 0
    while time.time() < stop:
        i += 1
        st = call(conn, 'POST', '/api/messages/private', toks[flooder], {'receiver_id': victim, 'content': 'spam', 'client_msg_id': f'f{n}-{i}'})
        with lock:
            counts[st] = counts.get(st, 0) + 1
        nxt += threads / FLOOD; time.sleep(max(0, nxt - time.time()))

m0 = meters(); c0 = (cpu([MSPID]) if MSPID else 0, cpu(pg))
FT = 4
threads = [threading.Thread(target=sender, args=(a, b, k)) for k, (a, b) in enumerate(pairs)]
threads += [threading.Thread(target=flood, args=(n, FT)) for n in range(FT)] if FLOOD > 0 else []
for t in threads: t.start()
for t in threads: t.join()
m1 = meters(); c1 = (cpu([MSPID]) if MSPID else 0, cpu(pg))
lat.sort(); q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
d = {k: m1.get(k, 0) - m0.get(k, 0) for k in m1}
print(json.dumps({'port': port, 'sends': len(lat), 'p50_ms': round(q(.5), 2), 'p99_ms': round(q(.99), 2), 'max_ms': round(lat[-1], 2),
  'flood_answers': counts, 'rest_batches': d.get('chat_messages_batch_size_count', 0), 'sends_in_batches': d.get('chat_messages_batch_size_sum', 0),
  'splits': d.get('chat_messages_batch_split_total', 0),
  'ms_cpu_s': round(c1[0] - c0[0], 2), 'pg_cpu_s': round(c1[1] - c0[1], 2),
  'ms_cpu_us_per_work_send': round((c1[0] - c0[0]) / max(1, len(lat)) * 1e6, 1)}))
