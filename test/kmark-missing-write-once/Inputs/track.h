/* A tracker that publishes entries in an xarray, as rdma's restrack does. */
struct xarray {
	void *head;
};

int xa_insert(struct xarray *xa, unsigned long index, void *entry,
	      unsigned int gfp);

#include <linux/list.h>

struct track_entry {
	unsigned long id;
	struct list_head lru;
};

void list_move(struct list_head *entry, struct list_head *head);

void track_add(struct track_entry *e);
void track_name(struct track_entry *e, const char *name);
void track_touch(struct track_entry *e);
void track_queue(struct track_entry *e);
void track_retry(struct track_entry *e, int n);
void track_loop(struct track_entry *e, int n);
