/*
 * rbtree.h: intrusive red-black trees (lib/libkern/rbtree.c).
 *
 * The tree orders nodes with the caller's compare functions.  A node is
 * a struct rb_node embedded at rbto_node_offset in the caller's object;
 * every function takes and returns pointers to the objects.  No
 * locking: the owner of the tree says which lock protects it.
 *
 * Insert, find, remove: O(log n).  Iterate: amortised O(1) per step.
 */
#ifndef _SYS_RBTREE_H_
#define _SYS_RBTREE_H_

#include <sys/types.h>

struct rb_node {
	struct rb_node	*rb_left;
	struct rb_node	*rb_right;
	uintptr_t	 rb_info;	/* parent pointer | colour bit */
};

/* Return <0, 0 or >0 as a orders before, with or after b. */
typedef int (*rb_compare_nodes_fn)(void *ctx, const void *a, const void *b);
/* The same for an object and a key. */
typedef int (*rb_compare_key_fn)(void *ctx, const void *obj, const void *key);

struct rb_tree_ops {
	rb_compare_nodes_fn	rbto_compare_nodes;
	rb_compare_key_fn	rbto_compare_key;
	size_t			rbto_node_offset;
	void			*rbto_context;
};

struct rb_tree {
	struct rb_node		*rbt_root;
	const struct rb_tree_ops *rbt_ops;
	size_t			rbt_count;
};

#define RB_DIR_LEFT	0
#define RB_DIR_RIGHT	1

void	 rb_tree_init(struct rb_tree *, const struct rb_tree_ops *);
/* Insert obj; returns obj, or the object already equal to it. */
void	*rb_tree_insert_node(struct rb_tree *, void *obj);
void	*rb_tree_find_node(struct rb_tree *, const void *key);
void	*rb_tree_find_node_geq(struct rb_tree *, const void *key);
void	*rb_tree_find_node_leq(struct rb_tree *, const void *key);
void	 rb_tree_remove_node(struct rb_tree *, void *obj);
/* Next object from obj in direction dir; obj NULL starts at the end
 * opposite to dir (RB_DIR_RIGHT from NULL gives the minimum). */
void	*rb_tree_iterate(struct rb_tree *, void *obj, unsigned int dir);
size_t	 rb_tree_count(const struct rb_tree *);
/* Check every red-black invariant and the order; 0 if sound.  For tests. */
int	 rb_tree_check(const struct rb_tree *);

#define RB_TREE_MIN(t)	rb_tree_iterate((t), NULL, RB_DIR_RIGHT)
#define RB_TREE_MAX(t)	rb_tree_iterate((t), NULL, RB_DIR_LEFT)
#define RB_TREE_NEXT(t, o) rb_tree_iterate((t), (o), RB_DIR_RIGHT)
#define RB_TREE_PREV(t, o) rb_tree_iterate((t), (o), RB_DIR_LEFT)
#define RB_TREE_FOREACH(o, t)						\
	for ((o) = RB_TREE_MIN(t); (o) != NULL; (o) = RB_TREE_NEXT(t, o))

#endif /* _SYS_RBTREE_H_ */
