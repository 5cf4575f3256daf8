/* A tracker that publishes entries in an xarray, as rdma's restrack does. */
struct xarray {
	void *head;
};

int xa_insert(struct xarray *xa, unsigned long index, void *entry,
	      unsigned int gfp);

struct track_entry {
	unsigned long id;
};

void track_add(struct track_entry *e);
void track_name(struct track_entry *e, const char *name);
