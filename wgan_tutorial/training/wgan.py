"""The `WGAN` keras.Model: one `train_step` is one generator iteration of either paper.

- `WGAN`: `loss="clip"` is Algorithm 1 of Arjovsky et al. 2017 (arXiv 1701.07875: n_critic
  critic updates with weight clipping, then one generator update); `loss="gp"` is Algorithm 1
  of Gulrajani et al. 2017 (arXiv 1704.00028: n_critic critic updates with the gradient
  penalty, then one generator update). Each `train_step` receives n_critic real batches
  stacked into one batch of n_critic x B and splits them, so `fit(..., steps_per_epoch=k)`
  runs k generator iterations. The loss registry entry (`losses.LOSSES`) supplies the
  objectives, the penalty and what follows a critic update, so the step never asks which
  loss it runs.
- `default_optimizers` and `FadingRate`: the papers' optimizers, and the critic's learning
  rate that fades to the generator's.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

from wgan_tutorial import defaults, devices, losses, models
from wgan_tutorial.config import check_fraction, check_number, import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402


class FadingRate(keras.optimizers.schedules.LearningRateSchedule):
    """rate x (1 + (scale - 1) max(0, 1 - t / steps)) at optimizer step t: `scale` times
    `rate` at t = 0, falling linearly to `rate` at t = steps and staying there."""

    def __init__(self, rate, scale, steps):
        self.rate, self.scale, self.steps = float(rate), float(scale), int(steps)

    def __call__(self, step):
        left = keras.ops.maximum(0.0, 1.0 - keras.ops.cast(step, "float32") / self.steps)
        return self.rate * (1.0 + (self.scale - 1.0) * left)

    def get_config(self):
        return {"rate": self.rate, "scale": self.scale, "steps": self.steps}


def default_optimizers(
    loss, learning_rate=None, beta_1=defaults.BETA_1, critic_lr_scale=1.0, critic_lr_fade=0
):
    """The papers' optimizers for the critic and the generator, as a pair of new objects.

    clip: RMSprop(5e-5) for both (Arjovsky et al. 2017, arXiv 1701.07875, Algorithm 1;
    momentum optimizers were "unstable at times"). gp: Adam(1e-4, beta_1, beta_2 = 0.9)
    for both (Gulrajani et al. 2017, arXiv 1704.00028, Algorithm 1 uses beta_1 = 0, their
    official `gan_mnist.py` beta_1 = 0.5); sn the same (Miyato et al. 2018, arXiv
    1802.05957, Table 1, setting A). gan: Adam(2e-4, beta_1, beta_2 = 0.999) (DCGAN,
    Radford et al. 2016, arXiv 1511.06434, Section 4). beta_2 is the entry's `beta_2`.
    The critic's learning rate is `critic_lr_scale` times the generator's: 1 in the papers;
    a larger one is the two time-scale update rule (Heusel et al. 2017, arXiv 1706.08500,
    Section 2: a discriminator that learns faster than the generator). With
    `critic_lr_fade` = T > 0 that multiple holds at the start only and falls linearly to 1
    over the critic's first T updates (`FadingRate`).

    Args:
        loss: a name of `losses.LOSSES` (its entry names the optimizer and the paper's
            learning rate, `defaults.PAPER_LEARNING_RATES`).
        learning_rate: float > 0, the generator's rate, or None for the paper's value.
        beta_1: float in [0, 1), Adam's first-moment decay (Adam losses only).
        critic_lr_scale: float > 0, the critic's rate divided by the generator's.
        critic_lr_fade: int >= 0, critic updates over which that ratio falls to 1 (0: never).

    Returns:
        (critic_optimizer, generator_optimizer), two keras optimizers.

    Raises:
        ValueError: unknown loss, learning_rate <= 0, beta_1 outside [0, 1),
            critic_lr_scale <= 0, critic_lr_fade < 0.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
    """
    entry = losses.get_loss(loss)
    if learning_rate is not None:
        learning_rate = check_number(learning_rate, "learning_rate", 0, inclusive=False)
    beta_1 = check_fraction(beta_1, "beta_1")
    scale = check_number(critic_lr_scale, "critic_lr_scale", 0, inclusive=False)
    fade = check_number(critic_lr_fade, "critic_lr_fade", 0, inclusive=True, integer=True)
    rate = entry.learning_rate if learning_rate is None else learning_rate
    critic_rate = FadingRate(rate, scale, fade) if fade and scale != 1 else scale * rate
    rates = {"critic": critic_rate, "generator": rate}
    if entry.optimizer == "rmsprop":
        return tuple(
            keras.optimizers.RMSprop(rates[who], name=f"{who}_rmsprop")
            for who in ("critic", "generator")
        )
    return tuple(
        keras.optimizers.Adam(rates[who], beta_1=beta_1, beta_2=entry.beta_2, name=f"{who}_adam")
        for who in ("critic", "generator")
    )


class WGAN(keras.Model):
    """A generator and a critic trained as a Wasserstein GAN with weight clipping or a penalty.

    `train_step` is one generator iteration of Algorithm 1 of Arjovsky et al. 2017 (arXiv
    1701.07875; loss="clip") or of Gulrajani et al. 2017 (arXiv 1704.00028; loss="gp"):
    n_critic critic updates, each on its own real batch and fresh noise, then one generator
    update. Its input is n_critic real batches stacked, float32 (n_critic x B, ...).

    The objectives are the loss entry's (`losses.Loss.critic_objective` and
    `generator_objective`): for the Wasserstein losses mean f(x~) - mean f(x) and
    -mean f(g(z)); for `gan` and `gan-minimax` the discriminator's cross-entropy on its
    logits f and the generator's non-saturating or minimax loss (Goodfellow et al. 2014,
    arXiv 1406.2661), with the same update order (Algorithm 1 of Goodfellow et al. is this
    loop with k = n_critic).

    Logged per step (the `fit` logs, and `metrics.csv` through the callbacks):
    critic_loss (the minimised critic objective [+ gp_weight gp]), generator_loss (the
    generator objective), w_estimate (mean f(x) - mean f(x~): for a GAN's discriminator,
    whose f is a logit and not Lipschitz-bounded, a difference of mean logits and not an
    estimate of any distance), critic_grad_norm
    and generator_grad_norm (global norms of the parameter gradients), and for gp: gp (the
    penalty, without lambda) and gp_grad_norm (mean input-gradient norm at the
    interpolates). All values are from the last critic update of the iteration.

    Args:
        generator: keras.Model (B, noise_dim) -> (B, ...).
        critic: keras.Model (B, ...) -> (B, 1). No batch norm or dropout (gp).
        loss: a name of `losses.LOSSES` ("clip", "gp", "lp", "gp-ln", "sn", "gan",
            "gan-minimax"); its entry's functions are what `train_step` calls. The critic's
            normalisation is the caller's (`wgan_from_config` builds it from the entry).
        n_critic: int >= 1, critic updates per generator update.
        clip_value: float > 0, the clipping constant c (clip only).
        gp_weight: float >= 0, lambda (gp only).
        noise_dim: int >= 1; default the generator's input size.
        one_sided: one-sided penalty (Gulrajani et al., Appendix C).
        seed: int >= 0, seeds the noise and interpolation weights (a `SeedGenerator`, whose
            state `rng_state` is checkpointed).
        ema: float in [0, 1), keep `ema_generator`, an exponential moving average of the
            generator's weights (Yazici et al. 2019, arXiv 1806.04498), updated after each
            generator update with decay min(ema, (1 + t) / (10 + t)) at step t (short runs
            average over their recent steps only); 0 keeps none. Training is unchanged:
            the average is only what `sampler` draws from.

    Class-conditional models (generator and critic built with `num_classes`, e.g.
    `models.image_generator(..., num_classes=10)`): `train_step` takes (images, labels),
    both stacked as above; each critic update generates for its real batch's labels, scores
    real and generated samples with those labels, and takes the penalty at interpolates
    with the label held fixed (Gulrajani et al. 2017, Algorithm 1 line 6, for each class);
    the generator update uses the labels of the last real batch (the data's class mix).

    Raises:
        ValueError: a parameter out of range, naming it and the range; noise_dim not the
            generator's input size.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
    """

    def __init__(
        self,
        generator,
        critic,
        loss="gp",
        n_critic=defaults.N_CRITIC,
        clip_value=defaults.CLIP_VALUE,
        gp_weight=defaults.GP_WEIGHT,
        noise_dim=None,
        one_sided=False,
        seed=0,
        ema=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.loss_entry = losses.get_loss(loss)
        self.loss_type = loss
        self.n_critic = check_number(n_critic, "n_critic", 1, inclusive=True, integer=True)
        self.clip_value = check_number(clip_value, "clip_value", 0, inclusive=False)
        self.gp_weight = check_number(gp_weight, "gp_weight", 0, inclusive=True)
        self.num_classes = models.num_classes(generator)
        if models.num_classes(critic) != self.num_classes:
            raise ValueError(
                f"generator and critic must take the same classes, got "
                f"num_classes {self.num_classes} and {models.num_classes(critic)}"
            )
        input_dim = generator.inputs[0].shape[-1]
        if noise_dim is None:
            noise_dim = input_dim
        self.noise_dim = check_number(noise_dim, "noise_dim", 1, inclusive=True, integer=True)
        if self.noise_dim != input_dim:
            raise ValueError(
                f"noise_dim must equal the generator's input size {input_dim}, got {noise_dim}"
            )
        self.one_sided = bool(one_sided)
        self.seed = check_number(seed, "seed", 0, inclusive=True, integer=True)
        self.generator = generator
        self.critic = critic
        self.seed_generator = keras.random.SeedGenerator(self.seed, name="noise_rng")
        self.step_counter = keras.Variable(
            0, dtype="int64", trainable=False, name="generator_steps"
        )
        self.ema = check_fraction(ema, "ema")
        self.ema_generator = None
        if self.ema > 0:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
            self.ema_generator.trainable = False
        self.critic_optimizer = None
        self.generator_optimizer = None
        self.built = True  # its networks are; Keras must not build it by calling it on data

    @property
    def sampler(self):
        """The generator to draw samples from: `ema_generator` when kept, else `generator`."""
        return self.generator if self.ema_generator is None else self.ema_generator

    @property
    def step(self):
        """Generator iterations done so far (int); restored with a checkpoint."""
        return int(self.step_counter.value.numpy())

    def compile(self, critic_optimizer=None, generator_optimizer=None, **kwargs):
        """Set the two optimizers and build them.

        An optimizer left as None is `default_optimizers(loss)`'s: the paper's learning
        rate, one for both networks, which for gp on MNIST is not `train`'s
        (`default_config` measured higher ones on a CPU); pass
        `default_optimizers(loss, config["learning_rate"], config["beta_1"],
        config["critic_lr_scale"], config["critic_lr_fade"])` with
        `config = default_config(...)` to train as `train` does.

        Building them at once creates their slots, so a checkpoint can be restored into
        them before any training step.
        """
        defaults = default_optimizers(self.loss_type)
        self.critic_optimizer = critic_optimizer or defaults[0]
        self.generator_optimizer = generator_optimizer or defaults[1]
        if self.critic_optimizer is self.generator_optimizer:
            raise ValueError(
                "critic_optimizer and generator_optimizer must be two different optimizer objects"
            )
        self.critic_optimizer.build(self.critic.trainable_variables)
        self.generator_optimizer.build(self.generator.trainable_variables)
        kwargs.setdefault("jit_compile", False)  # XLA was measured slower on CPU
        super().compile(**kwargs)

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        """Nothing to build: the networks are built, and the optimizers are `compile`'s.

        Keras' own version runs under a distribution strategy only, and draws one batch from
        a pass over the data of its own, so training would start on a reshuffled stream:
        a run on several devices would see other batches than the same run on one.
        """

    def call(self, z, training=False):
        """Generate: (B, noise_dim) -> generator output; conditional: z = [noise, labels]."""
        return self.generator(z, training=training)

    def _noise(self, batch_size):
        return devices.replica_rows(
            lambda rows: keras.random.normal((rows, self.noise_dim), seed=self.seed_generator),
            batch_size,
        )

    @staticmethod
    def _with(x, labels):
        return x if labels is None else [x, labels]

    def _critic_update(self, real, labels=None):
        batch_size = tf.shape(real)[0]
        fake = tf.stop_gradient(
            self.generator(self._with(self._noise(batch_size), labels), training=True)
        )
        with tf.GradientTape() as tape:
            real_scores = self.critic(self._with(real, labels), training=True)
            fake_scores = self.critic(self._with(fake, labels), training=True)
            penalty, logs = self.loss_entry.critic_penalty(self, real, fake, labels=labels)
            loss = self.loss_entry.critic_objective(real_scores, fake_scores) + penalty
            share = devices.local_loss(loss)  # this replica's share of the global mean
        variables = self.critic.trainable_variables
        gradients = tape.gradient(share, variables)
        self.critic_optimizer.apply_gradients(zip(gradients, variables, strict=True))
        self.loss_entry.after_critic_update(self)
        logs["critic_loss"] = loss
        logs["w_estimate"] = losses.wasserstein_estimate(real_scores, fake_scores)
        logs["critic_grad_norm"] = tf.linalg.global_norm(devices.global_gradients(gradients))
        return logs

    def _generator_update(self, batch_size, labels=None):
        z = self._with(self._noise(batch_size), labels)
        with tf.GradientTape() as tape:
            fake_scores = self.critic(
                self._with(self.generator(z, training=True), labels), training=True
            )
            loss = self.loss_entry.generator_objective(fake_scores)
            share = devices.local_loss(loss)
        variables = self.generator.trainable_variables
        gradients = tape.gradient(share, variables)
        self.generator_optimizer.apply_gradients(zip(gradients, variables, strict=True))
        if self.ema_generator is not None:
            self._update_average()
        norm = tf.linalg.global_norm(devices.global_gradients(gradients))
        return {"generator_loss": loss, "generator_grad_norm": norm}

    def _update_average(self):
        """average <- d average + (1 - d) weights, d = min(ema, (1 + t) / (10 + t))."""
        t = tf.cast(self.step_counter, tf.float32) + 1.0
        decay = tf.minimum(self.ema, (1.0 + t) / (10.0 + t))
        for average, weight in zip(self.ema_generator.weights, self.generator.weights, strict=True):
            average.assign(decay * average + (1.0 - decay) * weight)

    def train_step(self, data):
        """One generator iteration on n_critic stacked real batches (n_critic x B, ...);
        conditional: (images, labels) stacked alike."""
        labels = None
        if isinstance(data, (tuple, list)):
            data, labels = data[0], (data[1] if len(data) > 1 else None)
        if (labels is None) != (self.num_classes is None):
            raise ValueError(
                "a conditional WGAN trains on (images, labels), an unconditional "
                "one on images alone"
            )
        real = tf.reshape(data, [self.n_critic, -1] + list(data.shape[1:]))
        if labels is not None:
            labels = tf.reshape(tf.cast(labels, tf.int32), [self.n_critic, -1])

        def critic_update(i):
            return self._critic_update(real[i], None if labels is None else labels[i])

        # Algorithm 1's inner loop (line 2 in both papers). The first critic update gives the
        # loop its logs' structure; the others run as one graph loop, traced once whatever
        # n_critic is (unrolled, tracing grew with it: benchmarks/RESULTS.md, "Tracing the
        # critic loop"). One iteration at a time: each reads what the last wrote.
        logs = critic_update(0)
        if devices.replicas() > 1:  # an optimizer's all-reduce cannot sit in a graph loop
            for i in range(1, self.n_critic):
                logs = critic_update(i)
        elif self.n_critic > 1:
            _, logs = tf.while_loop(
                lambda i, _: i < self.n_critic,
                lambda i, _: (i + 1, critic_update(i)),
                (tf.constant(1), logs),
                parallel_iterations=1,
            )
        logs.update(
            self._generator_update(tf.shape(real)[1], None if labels is None else labels[-1])
        )
        self.step_counter.assign_add(1)
        return logs
