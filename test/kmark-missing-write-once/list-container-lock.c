// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// A struct whose list or tree links an object points to it, and its lock
// guards the links: a queue's lock over the messages on its queue, a
// table's lock over the entries in its buckets.  A store under it weighs
// between one under the object's own lock and one under another object's
// (other-object-lock.c): 50, the default tier's edge, with the base of 60.
// A lock whose struct links nothing of the kind stays another object's, as
// does a linked object's lock for its container, and a registration's parent (xa_store() and device
// registrations are not lists: their other arguments are a parent or an
// index).
#include <linux/list.h>
#include <linux/lock.h>

struct hlist_node {
	struct hlist_node *next, **pprev;
};
struct hlist_head {
	struct hlist_node *first;
};
void hlist_add_head(struct hlist_node *n, struct hlist_head *h);

struct xarray {
	void *head;
};
void *xa_store(struct xarray *xa, unsigned long index, void *entry, int gfp);

struct msg {
	struct list_head node;
	spinlock_t mlock;
	int state;
};

struct queue {
	spinlock_t qlock;
	struct list_head pending;
	int len;
};

struct audit {
	spinlock_t lock;
};

struct entry {
	struct {
		struct hlist_node hnode;
	} link;
	int hits;
};

struct table {
	spinlock_t lock;
	struct hlist_head buckets[16];
};

struct port {
	int up;
};

struct dev {
	struct mutex lock;
	struct xarray ports;
};

int msg_done(struct msg *m)
{
	return READ_ONCE(m->state);
}

int queue_len(struct queue *q)
{
	return READ_ONCE(q->len);
}

int entry_hits(struct entry *e)
{
	return READ_ONCE(e->hits);
}

int port_up(struct port *p)
{
	return READ_ONCE(p->up);
}

void queue_add(struct queue *q, struct msg *m)
{
	spin_lock(&q->qlock);
	list_add(&m->node, &q->pending);
	spin_unlock(&q->qlock);
}

void table_add(struct table *t, struct entry *e, unsigned int h)
{
	spin_lock(&t->lock);
	hlist_add_head(&e->link.hnode, &t->buckets[h & 15]);
	spin_unlock(&t->lock);
}

int dev_add_port(struct dev *d, unsigned long id, struct port *p)
{
	return xa_store(&d->ports, id, p, 0) ? 0 : -1;
}

/* The queue's lock: the queue links its messages. */
void queue_complete(struct queue *q, struct msg *m)
{
	spin_lock(&q->qlock);
	m->state = 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'msg::state' races with lockless reader msg_done(), which holds no lock; this store holds 'queue::qlock' (confidence: medium, 50) [kmark-missing-write-once]
	// CHECK-MESSAGES: :66:19: note: msg_done() reads 'm->state' with READ_ONCE() and no lock, while this store holds 'queue::qlock', the lock of a list that links the msg it writes
	// CHECK-FIXES: WRITE_ONCE(m->state, 2);
	spin_unlock(&q->qlock);
}

/* The table's lock: its buckets link the entries. */
void table_hit(struct table *t, struct entry *e)
{
	spin_lock(&t->lock);
	e->hits = e->hits + 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'entry::hits' races with lockless reader entry_hits(), which holds no lock; this store holds 'table::lock' (confidence: medium, 50) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(e->hits, e->hits + 1);
	spin_unlock(&t->lock);
}

/* An audit's lock: nothing links messages into an audit. */
void audit_cancel(struct audit *a, struct msg *m)
{
	spin_lock(&a->lock);
	m->state = 3;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'msg::state' races with lockless reader msg_done(), which holds no lock; this store holds 'audit::lock' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-MESSAGES: :66:19: note: msg_done() reads 'm->state' with READ_ONCE() and no lock, while this store holds 'audit::lock', a lock of another object than the msg it writes
	// CHECK-FIXES: WRITE_ONCE(m->state, 3);
	spin_unlock(&a->lock);
}

/* A registration is not a list: the device's lock stays another object's. */
void dev_port_down(struct dev *d, struct port *p)
{
	mutex_lock(&d->lock);
	p->up = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'port::up' races with lockless reader port_up(), which holds no lock; this store holds 'dev::lock' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->up, 0);
	mutex_unlock(&d->lock);
}

/* A message's lock says nothing of the queue that links it. */
void queue_note(struct queue *q, struct msg *m)
{
	spin_lock(&m->mlock);
	q->len = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'queue::len' races with lockless reader queue_len(), which holds no lock; this store holds 'msg::mlock' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(q->len, 1);
	spin_unlock(&m->mlock);
}
