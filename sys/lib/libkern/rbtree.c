/*
 * rbtree.c: intrusive red-black trees (sys/rbtree.h).
 *
 *	rb_tree_init rb_tree_insert_node rb_tree_remove_node
 *	rb_tree_find_node rb_tree_find_node_geq rb_tree_find_node_leq
 *	rb_tree_iterate rb_tree_count rb_tree_check
 *
 * The classic rules: every node is red or black, the root is black, a
 * red node has no red child, and every path from a node down to a
 * missing child passes the same number of black nodes.  Missing
 * children are NULL, counted as black.  The colour is the low bit of
 * rb_info, beside the parent pointer (nodes are at least 2-aligned).
 *
 * Left and right cases are mirror images, so the code takes a
 * direction d (RB_DIR_LEFT or RB_DIR_RIGHT) and its opposite !d and
 * writes each case once.
 */

#include <sys/types.h>
#include <sys/rbtree.h>

#define RED		((uintptr_t)1)

#define CHILD(n, d)	(*((d) ? &(n)->rb_right : &(n)->rb_left))

static inline struct rb_node *
parent_of(const struct rb_node *n)
{
	return (struct rb_node *)(n->rb_info & ~RED);
}

static inline void
set_parent(struct rb_node *n, struct rb_node *p)
{
	n->rb_info = (uintptr_t)p | (n->rb_info & RED);
}

/* NULL children count as black. */
static inline bool
is_red(const struct rb_node *n)
{
	return n != NULL && (n->rb_info & RED) != 0;
}

static inline void
set_red(struct rb_node *n)
{
	n->rb_info |= RED;
}

static inline void
set_black(struct rb_node *n)
{
	n->rb_info &= ~RED;
}

static inline struct rb_node *
node_of(const struct rb_tree *t, const void *obj)
{
	size_t off = t->rbt_ops->rbto_node_offset;

	return (struct rb_node *)((uintptr_t)obj + off);
}

static inline void *
obj_of(const struct rb_tree *t, const struct rb_node *n)
{
	size_t off = t->rbt_ops->rbto_node_offset;

	return n == NULL ? NULL : (void *)((uintptr_t)n - off);
}

static inline int
cmp_nodes(const struct rb_tree *t, const struct rb_node *a,
    const struct rb_node *b)
{
	const struct rb_tree_ops *ops = t->rbt_ops;

	return (*ops->rbto_compare_nodes)(ops->rbto_context, obj_of(t, a),
	    obj_of(t, b));
}

static inline int
cmp_key(const struct rb_tree *t, const struct rb_node *n, const void *key)
{
	const struct rb_tree_ops *ops = t->rbt_ops;

	return (*ops->rbto_compare_key)(ops->rbto_context, obj_of(t, n), key);
}

/* Make the link that pointed at old (from p, or the root) point at n. */
static inline void
replace_child(struct rb_tree *t, struct rb_node *p, struct rb_node *old,
    struct rb_node *n)
{
	if (p == NULL)
		t->rbt_root = n;
	else if (p->rb_left == old)
		p->rb_left = n;
	else
		p->rb_right = n;
}

/*
 * Rotate x down towards d: its child on the other side takes its
 * place, and that child's d-side subtree moves over to x.
 */
static void
rotate(struct rb_tree *t, struct rb_node *x, unsigned int d)
{
	struct rb_node *y = CHILD(x, !d);
	struct rb_node *b = CHILD(y, d);
	struct rb_node *p = parent_of(x);

	CHILD(x, !d) = b;
	if (b != NULL)
		set_parent(b, x);
	replace_child(t, p, x, y);
	set_parent(y, p);
	CHILD(y, d) = x;
	set_parent(x, y);
}

void
rb_tree_init(struct rb_tree *t, const struct rb_tree_ops *ops)
{
	t->rbt_root = NULL;
	t->rbt_ops = ops;
	t->rbt_count = 0;
}

size_t
rb_tree_count(const struct rb_tree *t)
{
	return t->rbt_count;
}

void *
rb_tree_insert_node(struct rb_tree *t, void *obj)
{
	struct rb_node *n = node_of(t, obj), *p = NULL, *g, *u, *cur;
	unsigned int d = RB_DIR_LEFT;
	int diff;

	for (cur = t->rbt_root; cur != NULL; cur = CHILD(cur, d)) {
		diff = cmp_nodes(t, cur, n);
		if (diff == 0)
			return obj_of(t, cur);
		p = cur;
		d = diff < 0 ? RB_DIR_RIGHT : RB_DIR_LEFT;
	}
	n->rb_left = n->rb_right = NULL;
	n->rb_info = (uintptr_t)p | RED;
	if (p == NULL)
		t->rbt_root = n;
	else
		CHILD(p, d) = n;
	t->rbt_count++;

	/*
	 * n is red; the only rule that can now be broken is a red parent.
	 * That parent is not the root, so the grandparent g exists.
	 */
	while ((p = parent_of(n)) != NULL && is_red(p)) {
		g = parent_of(p);
		d = p == g->rb_left ? RB_DIR_LEFT : RB_DIR_RIGHT;
		u = CHILD(g, !d);
		if (is_red(u)) {
			/* Push g's blackness down to both children; g may
			 * now clash with its own parent. */
			set_black(p);
			set_black(u);
			set_red(g);
			n = g;
			continue;
		}
		if (n == CHILD(p, !d)) {
			/* Inner grandchild: make it the outer one. */
			rotate(t, p, d);
			n = p;
			p = parent_of(n);
		}
		/* Outer grandchild: p replaces g, g becomes p's red child. */
		set_black(p);
		set_red(g);
		rotate(t, g, !d);
		break;
	}
	set_black(t->rbt_root);
	return obj;
}

void
rb_tree_remove_node(struct rb_tree *t, void *obj)
{
	struct rb_node *z = node_of(t, obj), *y, *x, *xp, *w;
	unsigned int d;
	bool black_gone;

	/*
	 * Unlink a node with at most one child: z itself, or else z's
	 * successor y, which then takes z's place and colour.  x is the
	 * child that moved up into the hole (perhaps NULL), xp its parent.
	 */
	if (z->rb_left == NULL || z->rb_right == NULL) {
		x = z->rb_left != NULL ? z->rb_left : z->rb_right;
		xp = parent_of(z);
		black_gone = !is_red(z);
		replace_child(t, xp, z, x);
		if (x != NULL)
			set_parent(x, xp);
	} else {
		for (y = z->rb_right; y->rb_left != NULL; y = y->rb_left)
			continue;
		black_gone = !is_red(y);
		x = y->rb_right;
		if (parent_of(y) == z)
			xp = y;
		else {
			xp = parent_of(y);
			xp->rb_left = x;
			if (x != NULL)
				set_parent(x, xp);
			y->rb_right = z->rb_right;
			set_parent(y->rb_right, y);
		}
		replace_child(t, parent_of(z), z, y);
		y->rb_left = z->rb_left;
		set_parent(y->rb_left, y);
		y->rb_info = z->rb_info;
	}
	t->rbt_count--;
	if (!black_gone)
		return;

	/*
	 * Paths through x lack one black.  A red x absorbs it; otherwise
	 * borrow from the sibling w's side, or push the deficit up.  A
	 * short path below a non-root means w has a black, so w != NULL,
	 * and also x == NULL can only be on the side where w is not.
	 */
	while (x != t->rbt_root && !is_red(x)) {
		d = x == xp->rb_left ? RB_DIR_LEFT : RB_DIR_RIGHT;
		w = CHILD(xp, !d);
		if (is_red(w)) {
			/* Make the sibling black: rotate its red up. */
			set_black(w);
			set_red(xp);
			rotate(t, xp, d);
			w = CHILD(xp, !d);
		}
		if (!is_red(w->rb_left) && !is_red(w->rb_right)) {
			/* Take a black off w's side too; xp now short. */
			set_red(w);
			x = xp;
			xp = parent_of(x);
			continue;
		}
		if (!is_red(CHILD(w, !d))) {
			/* Get the red nephew to the outside. */
			set_black(CHILD(w, d));
			set_red(w);
			rotate(t, w, !d);
			w = CHILD(xp, !d);
		}
		/* w rises to xp's place and colour; xp, now black, and
		 * w's outer child, now black, supply the missing black. */
		w->rb_info = (w->rb_info & ~RED) | (xp->rb_info & RED);
		set_black(xp);
		set_black(CHILD(w, !d));
		rotate(t, xp, d);
		x = t->rbt_root;
		break;
	}
	if (x != NULL)
		set_black(x);
}

void *
rb_tree_find_node(struct rb_tree *t, const void *key)
{
	struct rb_node *n = t->rbt_root;
	int diff;

	while (n != NULL) {
		diff = cmp_key(t, n, key);
		if (diff == 0)
			return obj_of(t, n);
		n = CHILD(n, diff < 0);
	}
	return NULL;
}

/* The least object not ordered before key. */
void *
rb_tree_find_node_geq(struct rb_tree *t, const void *key)
{
	struct rb_node *n = t->rbt_root, *best = NULL;
	int diff;

	while (n != NULL) {
		diff = cmp_key(t, n, key);
		if (diff == 0)
			return obj_of(t, n);
		if (diff > 0) {
			best = n;
			n = n->rb_left;
		} else
			n = n->rb_right;
	}
	return obj_of(t, best);
}

/* The greatest object not ordered after key. */
void *
rb_tree_find_node_leq(struct rb_tree *t, const void *key)
{
	struct rb_node *n = t->rbt_root, *best = NULL;
	int diff;

	while (n != NULL) {
		diff = cmp_key(t, n, key);
		if (diff == 0)
			return obj_of(t, n);
		if (diff < 0) {
			best = n;
			n = n->rb_right;
		} else
			n = n->rb_left;
	}
	return obj_of(t, best);
}

void *
rb_tree_iterate(struct rb_tree *t, void *obj, unsigned int dir)
{
	struct rb_node *n, *p;
	unsigned int d = dir != RB_DIR_LEFT;

	if (obj == NULL) {
		/* Start at the far end from where we are heading. */
		if ((n = t->rbt_root) == NULL)
			return NULL;
		while (CHILD(n, !d) != NULL)
			n = CHILD(n, !d);
		return obj_of(t, n);
	}
	n = node_of(t, obj);
	if (CHILD(n, d) != NULL) {
		/* The nearest node of the subtree on our side. */
		for (n = CHILD(n, d); CHILD(n, !d) != NULL; n = CHILD(n, !d))
			continue;
		return obj_of(t, n);
	}
	/* Climb until we come up out of a subtree on the !d side. */
	for (; (p = parent_of(n)) != NULL; n = p)
		if (CHILD(p, !d) == n)
			return obj_of(t, p);
	return NULL;
}

/*
 * rb_tree_check: 0 if the tree is sound, else the first broken rule:
 *	1 a child's parent pointer is wrong (or the root has a parent)
 *	2 a red node has a red child
 *	3 black heights differ
 *	4 the in-order sequence is not strictly increasing
 *	5 rbt_count is not the number of nodes
 *	6 deeper than any sound tree: a cycle or unbalanced
 *	7 the root is red
 */
struct check {
	const struct rb_tree	*t;
	const struct rb_node	*prev;	/* in-order predecessor so far */
	size_t			 count;
	int			 error;
};

/* Returns the black height of the subtree at n (NULL counts 1). */
static int
check_subtree(struct check *c, const struct rb_node *n,
    const struct rb_node *p, int depth)
{
	int lh, rh;

	if (n == NULL || c->error != 0)
		return 1;
	/* A sound tree of up to 2^64 nodes is at most 128 deep. */
	if (depth > 130) {
		c->error = 6;
		return 1;
	}
	if (parent_of(n) != p) {
		c->error = 1;
		return 1;
	}
	if (is_red(n) && (is_red(n->rb_left) || is_red(n->rb_right))) {
		c->error = 2;
		return 1;
	}
	lh = check_subtree(c, n->rb_left, n, depth + 1);
	if (c->error != 0)
		return 1;
	if (c->prev != NULL && cmp_nodes(c->t, c->prev, n) >= 0) {
		c->error = 4;
		return 1;
	}
	c->prev = n;
	c->count++;
	rh = check_subtree(c, n->rb_right, n, depth + 1);
	if (c->error == 0 && lh != rh)
		c->error = 3;
	return lh + !is_red(n);
}

int
rb_tree_check(const struct rb_tree *t)
{
	struct check c = { t, NULL, 0, 0 };

	if (is_red(t->rbt_root))
		return 7;
	check_subtree(&c, t->rbt_root, NULL, 0);
	if (c.error == 0 && c.count != t->rbt_count)
		c.error = 5;
	return c.error;
}
