# mlockbench plot, standalone: in this folder, run: gnuplot teardown-exit-shmem-mlock-32M-plain32.gp
# Writes teardown-exit-shmem-mlock-32M-plain32.png and teardown-exit-shmem-mlock-32M-plain32.svg from the .dat files beside it.
set encoding utf8
set terminal pngcairo noenhanced size 1100,750 font 'sans,13'
set output 'teardown-exit-shmem-mlock-32M-plain32.png'
set title 'exit: teardown vs processes - shmem, mlock, 32M per process, 32 plain mappers'."\n".'debian-5.10 (boot-1) vs debian-5.10 (boot-2) vs debian-5.10 (boot-3) vs'."\n".'debian-6.1 (boot-1) vs debian-6.1 (boot-2) vs debian-6.1 (boot-3)'
set grid
set border 3
set tics nomirror
set logscale xy
set xlabel "mlocking processes P (log scale)"
set ylabel "teardown, release to last locker done (s, log scale)"
set key top left Left reverse box opaque
set format y '%g'
set xtics (1, 2, 4, 8, 16)
set xrange [0.714286:22.4]
plot 'teardown-exit-shmem-mlock-32M-plain32.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#1f77b4' title 'debian-5.10 (boot-1): b = 0.18 [-0.29, 0.65], R² = 0.331', \
     0.107626*x**0.179067 with lines dt 2 lw 1.5 lc rgb '#1f77b4' notitle, \
     'teardown-exit-shmem-mlock-32M-plain32.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#d62728' title 'debian-5.10 (boot-2): b = 0.23 [-0.27, 0.73], R² = 0.411', \
     0.10285*x**0.227965 with lines dt 2 lw 1.5 lc rgb '#d62728' notitle, \
     'teardown-exit-shmem-mlock-32M-plain32.dat' index 2 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#2ca02c' title 'debian-5.10 (boot-3): b = 0.22 [-0.19, 0.63], R² = 0.487', \
     0.108555*x**0.218439 with lines dt 2 lw 1.5 lc rgb '#2ca02c' notitle, \
     'teardown-exit-shmem-mlock-32M-plain32.dat' index 3 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#9467bd' title 'debian-6.1 (boot-1): b = 0.59 [0.21, 0.96], R² = 0.894', \
     0.0209778*x**0.585451 with lines dt 2 lw 1.5 lc rgb '#9467bd' notitle, \
     'teardown-exit-shmem-mlock-32M-plain32.dat' index 4 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#ff7f0e' title 'debian-6.1 (boot-2): b = 0.57 [0.25, 0.89], R² = 0.915', \
     0.0253048*x**0.568656 with lines dt 2 lw 1.5 lc rgb '#ff7f0e' notitle, \
     'teardown-exit-shmem-mlock-32M-plain32.dat' index 5 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#8c564b' title 'debian-6.1 (boot-3): b = 0.50 [0.32, 0.67], R² = 0.965', \
     0.0231168*x**0.495446 with lines dt 2 lw 1.5 lc rgb '#8c564b' notitle, \
     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title 'dashed: fitted c·P^b (least squares, log-log)'

set terminal svg noenhanced size 1100,750 dynamic font 'sans,13' background '#ffffff'
set output 'teardown-exit-shmem-mlock-32M-plain32.svg'
replot
unset output
