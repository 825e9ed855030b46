/*
 * ktest_libkern.c: kernel-side half of tests/libkern/t_libkern.c.
 *
 *	int rump_ktest_rbtree(seed, n, why, whylen)
 *
 * A random workload on a red-black tree of up to n nodes (at most
 * KT_MAXNODES), checked against a bitmap of the keys that should be in
 * it, with rb_tree_check after every batch.  Returns the number of
 * failures and describes the first in why.  Needs no booted kernel
 * (no kmem, no printf); the storage is static, so calls must not
 * overlap.
 */

#include <sys/types.h>
#include <sys/rbtree.h>
#include <lib/libkern/libkern.h>

#define KT_MAXNODES	4096
#define KT_BATCH	8

int	rump_ktest_rbtree(unsigned int, int, char *, size_t);

/* The node is not first, so the node offset is exercised. */
struct kt_obj {
	uint32_t	pad;
	struct rb_node	node;
	uint32_t	key;
};

static struct kt_obj kt_objs[KT_MAXNODES];
static struct kt_obj kt_dup;		/* a second object with a used key */
static uint32_t kt_in[KT_MAXNODES / 32];	/* keys in the tree */
static int kt_ctx;

struct kt_state {
	uint32_t	 rng;
	int		 fails;
	char		*why;
	size_t		 whylen;
	size_t		 count;		/* keys in the bitmap */
};

static int
kt_cmp_nodes(void *ctx, const void *a, const void *b)
{
	uint32_t ka = ((const struct kt_obj *)a)->key;
	uint32_t kb = ((const struct kt_obj *)b)->key;

	if (ctx != &kt_ctx)
		return 0;	/* a wrong context shows up as duplicates */
	return ka < kb ? -1 : ka > kb;
}

static int
kt_cmp_key(void *ctx, const void *obj, const void *key)
{
	uint32_t ko = ((const struct kt_obj *)obj)->key;
	uint32_t k = *(const uint32_t *)key;

	if (ctx != &kt_ctx)
		return 0;
	return ko < k ? -1 : ko > k;
}

static const struct rb_tree_ops kt_ops = {
	.rbto_compare_nodes = kt_cmp_nodes,
	.rbto_compare_key = kt_cmp_key,
	.rbto_node_offset = offsetof(struct kt_obj, node),
	.rbto_context = &kt_ctx,
};

/* xorshift32: small, and the same on every host. */
static uint32_t
kt_random(struct kt_state *st)
{
	uint32_t x = st->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return st->rng = x;
}

static bool
kt_has(uint32_t k)
{
	return (kt_in[k / 32] >> (k % 32)) & 1;
}

/* Count a failure; the first is described in why as "what: val". */
static void
kt_fail(struct kt_state *st, const char *what, uint32_t val, int op)
{
	if (st->fails++ == 0 && st->why != NULL)
		snprintf(st->why, st->whylen, "%s: %u, at operation %d",
		    what, val, op);
}

/* The object the reference says find_geq/leq should return, or NULL. */
static struct kt_obj *
kt_expect(uint32_t k, int n, int up)
{
	int i;

	if (up) {
		for (i = (int)k; i < n; i++)
			if (kt_has(i))
				return &kt_objs[i];
	} else {
		for (i = (int)k; i >= 0; i--)
			if (i < n && kt_has(i))
				return &kt_objs[i];
	}
	return NULL;
}

/* Walk the whole tree both ways and match it against the bitmap. */
static void
kt_walk(struct kt_state *st, struct rb_tree *t, int n, int op)
{
	struct kt_obj *o;
	int i;

	o = RB_TREE_MIN(t);
	for (i = 0; i < n; i++) {
		if (!kt_has(i))
			continue;
		if (o != &kt_objs[i]) {
			kt_fail(st, "forward iteration at key", i, op);
			return;
		}
		o = RB_TREE_NEXT(t, o);
	}
	if (o != NULL)
		kt_fail(st, "forward iteration past the end, n", n, op);
	o = RB_TREE_MAX(t);
	for (i = n - 1; i >= 0; i--) {
		if (!kt_has(i))
			continue;
		if (o != &kt_objs[i]) {
			kt_fail(st, "backward iteration at key", i, op);
			return;
		}
		o = RB_TREE_PREV(t, o);
	}
	if (o != NULL)
		kt_fail(st, "backward iteration past the start, n", n, op);
}

static void
kt_insert(struct kt_state *st, struct rb_tree *t, uint32_t k, int op)
{
	if (kt_has(k)) {
		/* An equal object is refused in favour of the one there. */
		kt_dup.key = k;
		if (rb_tree_insert_node(t, &kt_dup) != &kt_objs[k])
			kt_fail(st, "duplicate insert of key", k, op);
		return;
	}
	if (rb_tree_insert_node(t, &kt_objs[k]) != &kt_objs[k])
		kt_fail(st, "insert of key", k, op);
	kt_in[k / 32] |= 1U << (k % 32);
	st->count++;
}

static void
kt_remove(struct kt_state *st, struct rb_tree *t, uint32_t k)
{
	if (!kt_has(k))
		return;
	rb_tree_remove_node(t, &kt_objs[k]);
	kt_in[k / 32] &= ~(1U << (k % 32));
	st->count--;
}

int
rump_ktest_rbtree(unsigned int seed, int n, char *why, size_t whylen)
{
	struct kt_state st = { seed != 0 ? seed : 1, 0, why, whylen, 0 };
	struct rb_tree t;
	struct kt_obj *o;
	uint32_t k, dice;
	int op, nops, err;

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (n < 1 || n > KT_MAXNODES) {
		kt_fail(&st, "bad size", (uint32_t)n, 0);
		return st.fails;
	}
	memset(kt_objs, 0, sizeof(kt_objs));
	memset(kt_in, 0, sizeof(kt_in));
	for (k = 0; k < (uint32_t)n; k++)
		kt_objs[k].key = k;
	rb_tree_init(&t, &kt_ops);
	if (RB_TREE_MIN(&t) != NULL || (err = rb_tree_check(&t)) != 0)
		kt_fail(&st, "empty tree", 0, 0);

	/*
	 * Keys are the indices 0..n-1.  In the first half 9 in 16
	 * operations insert and 1 removes, in the second half the other
	 * way round, so the tree grows to near n and shrinks again; the
	 * other 6 in 16 are lookups.
	 */
	nops = 12 * n + 64;
	for (op = 0; op < nops && st.fails == 0; op++) {
		k = kt_random(&st) % (uint32_t)n;
		dice = kt_random(&st) % 16;
		if (dice < 10) {
			if ((dice < 9) == (op < nops / 2))
				kt_insert(&st, &t, k, op);
			else
				kt_remove(&st, &t, k);
		} else if (dice < 12) {
			o = rb_tree_find_node(&t, &k);
			if (o != (kt_has(k) ? &kt_objs[k] : NULL))
				kt_fail(&st, "find of key", k, op);
		} else if (dice < 14) {
			o = rb_tree_find_node_geq(&t, &k);
			if (o != kt_expect(k, n, 1))
				kt_fail(&st, "find_geq of key", k, op);
		} else {
			o = rb_tree_find_node_leq(&t, &k);
			if (o != kt_expect(k, n, 0))
				kt_fail(&st, "find_leq of key", k, op);
		}
		if (op % KT_BATCH == KT_BATCH - 1 || op == nops - 1) {
			if ((err = rb_tree_check(&t)) != 0)
				kt_fail(&st, "rb_tree_check error", err, op);
			if (rb_tree_count(&t) != st.count)
				kt_fail(&st, "count", rb_tree_count(&t), op);
		}
		if (op % (n + 1) == 0)
			kt_walk(&st, &t, n, op);
	}
	kt_walk(&st, &t, n, op);

	/* A key past the end, then empty the tree from the front. */
	k = (uint32_t)n;
	if (rb_tree_find_node(&t, &k) != NULL ||
	    rb_tree_find_node_geq(&t, &k) != NULL ||
	    rb_tree_find_node_leq(&t, &k) != kt_expect(k, n, 0))
		kt_fail(&st, "lookup past the end, key", k, op);
	while (st.fails == 0 && (o = RB_TREE_MIN(&t)) != NULL) {
		kt_remove(&st, &t, o->key);
		if ((err = rb_tree_check(&t)) != 0)
			kt_fail(&st, "rb_tree_check error while emptying",
			    err, op);
	}
	if (st.fails == 0 && (st.count != 0 || t.rbt_root != NULL ||
	    rb_tree_count(&t) != 0))
		kt_fail(&st, "not empty at the end, count",
		    rb_tree_count(&t), op);
	return st.fails;
}
