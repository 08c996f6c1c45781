#!/usr/bin/env python3
"""Who holds what in a Java heap dump: the byte[] size distribution and the referrer chains of the big arrays.

A minimal HPROF (JAVA PROFILE 1.0.2) reader, standard library only, written for the soak (docs/decisions/0260)
where no heap analyser is installed: it found that the byte[] growth of the 100,000-photo soak was the
decoder's image streams waiting for the finalizer thread.

usage:
  scripts/hprof_referrers.py DUMP [MIN_BYTES] [DEPTH]   byte[] arrays of at least MIN_BYTES (default 65536)
  scripts/hprof_referrers.py DUMP class:a/b/Name [DEPTH] instances of a class (slashes, as in the dump)
  scripts/hprof_referrers.py DUMP prim:N [DEPTH]         primitive arrays of HPROF basic type N (9 = short)
Chains are grouped by the first DEPTH holders (default 6): "A.field <- B.field" means A is held by B's field.
Make the dump with `jcmd PID GC.heap_dump FILE` (live objects, after a full GC). Needs memory for the whole file.
"""
import collections
import struct
import sys

TYPE_SIZE = {2: None, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}


def records(path):
    with open(path, 'rb') as f:
        data = f.read()
    end = data.index(b'\0')
    idsize = struct.unpack_from('>I', data, end + 1)[0]
    pos = end + 1 + 4 + 8
    n = len(data)
    while pos < n:
        tag = data[pos]
        length = struct.unpack_from('>I', data, pos + 5)[0]
        yield data, tag, pos + 9, length, idsize
        pos += 9 + length


def main():
    path = sys.argv[1]
    target_class = sys.argv[2][6:] if len(sys.argv) > 2 and sys.argv[2].startswith('class:') else None
    target_prim = int(sys.argv[2][5:]) if len(sys.argv) > 2 and sys.argv[2].startswith('prim:') else None
    if target_prim:
        target_class = '#prim'
    min_bytes = 0 if target_class else (int(sys.argv[2]) if len(sys.argv) > 2 else 65536)
    depth = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    strings = {}
    class_name = {}
    classes = {}  # id -> (super, [(name_id, type)])
    byte_arrays = {}  # id -> length
    targets = {}
    first = {}
    prim_totals = collections.Counter()
    segments = []
    for data, tag, body, length, ids in records(path):
        if tag == 0x01:
            sid = int.from_bytes(data[body:body + ids], 'big')
            strings[sid] = data[body + ids:body + length].decode('utf-8', 'replace')
        elif tag == 0x02:
            cid = int.from_bytes(data[body + 4:body + 4 + ids], 'big')
            nid = int.from_bytes(data[body + 8 + ids:body + 8 + 2 * ids], 'big')
            class_name[cid] = nid
        elif tag in (0x0C, 0x1C):
            segments.append((body, length))
    # pass 1 over segments: classes and arrays
    ids = 8
    data = None
    for d, tag, body, length, idsz in records(path):
        data = d
        ids = idsz
        break

    def rid(p):
        return int.from_bytes(data[p:p + ids], 'big')

    def walk(handler_instance=None, handler_objarray=None, collect=False):
        for body, length in segments:
            p = body
            end = body + length
            while p < end:
                st = data[p]
                p += 1
                if st == 0xFF:
                    p += ids
                elif st == 0x01:
                    p += 2 * ids
                elif st in (0x02, 0x03):
                    p += ids + 8
                elif st == 0x04:
                    p += ids + 4
                elif st == 0x05:
                    p += ids
                elif st == 0x06:
                    p += ids + 4
                elif st == 0x07:
                    p += ids
                elif st == 0x08:
                    p += ids + 8
                elif st == 0x20:
                    cid = rid(p)
                    sup = rid(p + ids + 4)
                    q = p + 7 * ids + 4 + 4
                    ncp = struct.unpack_from('>H', data, q)[0]
                    q += 2
                    for _ in range(ncp):
                        t = data[q + 2]
                        q += 3 + (ids if t == 2 else TYPE_SIZE[t])
                    ns = struct.unpack_from('>H', data, q)[0]
                    q += 2
                    for _ in range(ns):
                        t = data[q + ids]
                        q += ids + 1 + (ids if t == 2 else TYPE_SIZE[t])
                    nf = struct.unpack_from('>H', data, q)[0]
                    q += 2
                    fields = []
                    for _ in range(nf):
                        fields.append((rid(q), data[q + ids]))
                        q += ids + 1
                    if collect:
                        classes[cid] = (sup, fields)
                    p = q
                elif st == 0x21:
                    oid = rid(p)
                    cid = rid(p + ids + 4)
                    nb = struct.unpack_from('>I', data, p + 2 * ids + 4)[0]
                    start = p + 2 * ids + 8
                    if collect and target_class and strings.get(class_name.get(cid, 0)) == target_class:
                        targets[oid] = nb
                    if handler_instance:
                        handler_instance(oid, cid, start)
                    p = start + nb
                elif st == 0x22:
                    oid = rid(p)
                    n = struct.unpack_from('>I', data, p + ids + 4)[0]
                    acid = rid(p + ids + 8)
                    start = p + 2 * ids + 8
                    if handler_objarray:
                        handler_objarray(oid, acid, n, start)
                    p = start + n * ids
                elif st == 0x23:
                    oid = rid(p)
                    n = struct.unpack_from('>I', data, p + ids + 4)[0]
                    t = data[p + ids + 8]
                    start = p + ids + 9
                    if collect:
                        if t == target_prim:
                            targets[oid] = n * TYPE_SIZE[t]
                        prim_totals[t] += n * TYPE_SIZE[t]
                        if t == 8:
                            byte_arrays[oid] = n
                            if n >= min_bytes:
                                first[oid] = data[start:start + 24]
                    p = start + n * TYPE_SIZE[t]
                else:
                    raise ValueError('sub-record %x at %d' % (st, p))

    walk(collect=True)

    def cname(cid):
        return strings.get(class_name.get(cid, 0), '?%x' % cid)

    layout = {}

    def obj_offsets(cid):
        if cid in layout:
            return layout[cid]
        offs = []
        c = cid
        off = 0
        while c and c in classes:
            sup, fields = classes[c]
            for nid, t in fields:
                if t == 2:
                    offs.append((off, strings.get(nid, '?')))
                off += ids if t == 2 else TYPE_SIZE[t]
            c = sup
        layout[cid] = offs
        return offs

    sizes = sorted(byte_arrays.values())
    total = sum(sizes)
    print('byte[]: %d arrays, %.1f MB' % (len(sizes), total / 1e6))
    buckets = collections.Counter()
    bucket_bytes = collections.Counter()
    for s in sizes:
        b = 1
        while b < s:
            b <<= 1
        buckets[b] += 1
        bucket_bytes[b] += s
    for b in sorted(buckets):
        print('  <= %9d: %7d arrays %9.2f MB' % (b, buckets[b], bucket_bytes[b] / 1e6))
    big = targets if target_class else {oid: n for oid, n in byte_arrays.items() if n >= min_bytes}
    print('byte[] >= %d: %d arrays, %.1f MB' % (min_bytes, len(big), sum(big.values()) / 1e6))
    # referrer chains
    frontier = {oid: 'byte[%d]' % n for oid, n in big.items()}
    label_bytes = {oid: n for oid, n in big.items()}
    chains = {oid: [] for oid in big}  # target -> chain of holders
    holder_of = {}  # object -> (referrer id, description)
    current = set(big)
    for level in range(depth):
        found = {}

        def inst(oid, cid, start):
            for off, fname in obj_offsets(cid):
                r = rid(start + off)
                if r in current and r not in found:
                    found[r] = (oid, '%s.%s' % (cname(cid), fname))

        def arr(oid, acid, n, start):
            if n == 0:
                return
            vals = struct.unpack_from('>%dQ' % n, data, start) if ids == 8 else struct.unpack_from('>%dI' % n, data, start)
            hit = current.intersection(vals)
            for r in hit:
                if r not in found:
                    found[r] = (oid, '%s[%d]' % (cname(acid), n))

        walk(inst, arr)
        for r, h in found.items():
            holder_of[r] = h
        current = {h[0] for h in found.values()} - set(holder_of)
        if not current:
            break
    groups = collections.Counter()
    group_n = collections.Counter()
    for oid, n in big.items():
        path = []
        o = oid
        for _ in range(depth):
            if o not in holder_of:
                break
            o, d = holder_of[o]
            path.append(d)
        key = ' <- '.join(path) or '(no referrer found: root or unreachable)'
        groups[key] += n
        group_n[key] += 1
    for key, b in groups.most_common(25):
        print('%9.2f MB %5d arrays: %s' % (b / 1e6, group_n[key], key))
    print('largest byte[]:')
    for oid, n in ([] if target_class else sorted(big.items(), key=lambda e: -e[1])[:15]):
        print('  %10d  %s  %r' % (n, first[oid][:16].hex(), first[oid][:24]))


if __name__ == '__main__':
    main()
