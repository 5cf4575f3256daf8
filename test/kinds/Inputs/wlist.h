/* A singly linked work list whose head is embedded in its owner. */
#include <linux/lock.h>

struct node {
	struct node *next;
};

struct wlist {
	struct node *first;
};

#define wlist_empty(l) (READ_ONCE((l)->first) == NULL)

static inline void wlist_push(struct node *n, struct wlist *l)
{
	WRITE_ONCE(l->first, n);
}
