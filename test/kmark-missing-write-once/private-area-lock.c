// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// A driver's state often lives in the allocation of a framework's object:
// `indio_dev = devm_iio_device_alloc(dev, sizeof(*st)); st = iio_priv(indio_dev);`
// (alloc_etherdev(sizeof(*priv)) and netdev_priv(), scsi_host_alloc() and
// shost_priv() alike).  The allocator that returns one struct given the
// size of another says that the container holds the state, so a lock of
// the container (or of a struct holding the container by value, the
// core's private part around it) is the state's own lock, not another
// object's (other-object-lock.c).  A size handed to a call that returns
// no struct (kmalloc's void *) says nothing.
#include <linux/lock.h>

struct device;

struct sensor_dev {
	int modes;
	void *priv;
};

/* The core's private part holds the public device by value. */
struct sensor_core {
	struct mutex mlock;
	struct sensor_dev dev;
};

struct sensor_dev *sensor_dev_alloc(struct device *parent, int sizeof_priv);
void *raw_alloc(int size);

static inline void *sensor_priv(struct sensor_dev *d)
{
	return d->priv;
}

/* The driver's state, in the device's allocation. */
struct accel_state {
	struct sensor_dev *dev;
	unsigned int mask;
	unsigned int rate;
};

/* Another driver's state, allocated on its own. */
struct gyro_state {
	unsigned int mask;
	unsigned int rate;
};

int accel_probe(struct device *parent)
{
	struct sensor_dev *d = sensor_dev_alloc(parent, sizeof(struct accel_state) + 16);
	struct accel_state *st = sensor_priv(d);
	struct gyro_state *g = raw_alloc(sizeof(*g));

	st->dev = d;
	return g != 0;
}

unsigned int accel_events(struct accel_state *st, struct gyro_state *g)
{
	return READ_ONCE(st->mask) + READ_ONCE(g->mask);
}

/* Under the core's lock, around the device that holds the state. */
void accel_buffer_enable(struct accel_state *st)
{
	struct sensor_core *core = container_of(st->dev, struct sensor_core, dev);

	mutex_lock(&core->mlock);
	st->mask = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'accel_state::mask' races with lockless reader accel_events(), which holds no lock; this store holds 'sensor_core::mlock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(st->mask, 1);
	mutex_unlock(&core->mlock);
}

/* The same lock over a state that is allocated on its own. */
void gyro_enable(struct sensor_core *core, struct gyro_state *g)
{
	mutex_lock(&core->mlock);
	g->mask = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'gyro_state::mask' races with lockless reader accel_events(), which holds no lock; this store holds 'sensor_core::mlock' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-MESSAGES: :59:41: note: accel_events() reads 'g->mask' with READ_ONCE() and no lock, while this store holds 'sensor_core::mlock', a lock of another object than the gyro_state it writes
	// CHECK-FIXES: WRITE_ONCE(g->mask, 1);
	mutex_unlock(&core->mlock);
}
